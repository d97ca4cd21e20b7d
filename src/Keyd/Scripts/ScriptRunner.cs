using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Keyd.Scripts;

/// <summary>
/// Runs one hook script as racoon's script_exec does: argv = { path, event name }, the environment exactly the one
/// given. racoon forks and never waits; here the script runs beside the daemon's loop (the loop only starts it),
/// its output lines and exit status are logged, and one that outlives <see cref="Timeout"/> is killed, so a hung
/// script never piles up.
/// </summary>
public sealed partial class ScriptRunner(ILogger logger, TimeSpan? timeout = null)
{
    public TimeSpan Timeout { get; } = timeout ?? TimeSpan.FromSeconds(60);

    /// <summary>Starts the script and returns at once; the task ends when it has exited (or was killed) and all is logged.</summary>
    public Task RunAsync(string path, string eventName, IReadOnlyList<KeyValuePair<string, string>> environment)
    {
        var start = new ProcessStartInfo(path)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(eventName);
        start.Environment.Clear();
        foreach (var (name, value) in environment)
            start.Environment[name] = value;

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("no process started");
        }
        catch (Win32Exception e)
        {
            LogExecFailed(logger, path, e.Message);
            LogScriptFailed(logger, eventName);
            return Task.CompletedTask;
        }
        LogStarted(logger, eventName, path, process.Id);
        // The script reads nothing from racoon; its stdin is closed at once.
        process.StandardInput.Close();
        return WatchAsync(process, path, eventName);
    }

    private async Task WatchAsync(Process process, string path, string eventName)
    {
        using (process)
        {
            var output = PumpAsync(process.StandardOutput, eventName);
            var errors = PumpAsync(process.StandardError, eventName);
            using var deadline = new CancellationTokenSource(Timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                LogKilled(logger, eventName, path, Timeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // It exited between the deadline and the kill.
                }
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                await Task.WhenAll(output, errors).ConfigureAwait(false);
                return;
            }
            await Task.WhenAll(output, errors).ConfigureAwait(false);
            if (process.ExitCode == 0)
                LogExited(logger, eventName, path);
            else
                LogExitedWithStatus(logger, eventName, path, process.ExitCode);
        }
    }

    private async Task PumpAsync(StreamReader reader, string eventName)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
                LogOutput(logger, eventName, line);
        }
        catch (IOException)
        {
            // The pipe broke when the script was killed.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "execve(\"{Path}\") failed: {Error}")]
    private static partial void LogExecFailed(ILogger logger, string path, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Script {Event} execution failed")]
    private static partial void LogScriptFailed(ILogger logger, string @event);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Script {Event} \"{Path}\" started (pid {Pid})")]
    private static partial void LogStarted(ILogger logger, string @event, string path, int pid);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Event}: {Line}")]
    private static partial void LogOutput(ILogger logger, string @event, string line);

    [LoggerMessage(Level = LogLevel.Information, Message = "Script {Event} \"{Path}\" exited with status 0")]
    private static partial void LogExited(ILogger logger, string @event, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Script {Event} \"{Path}\" exited with status {Status}")]
    private static partial void LogExitedWithStatus(ILogger logger, string @event, string path, int status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Script {Event} \"{Path}\" still running after {Seconds} s: killed")]
    private static partial void LogKilled(ILogger logger, string @event, string path, string seconds);
}
