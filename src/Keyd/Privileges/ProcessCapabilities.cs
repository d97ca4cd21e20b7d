using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace KernelIpsec.Keyd.Privileges;

/// <summary>
/// Shrinks a root racoon to the capabilities of a <see cref="CapabilityPlan"/>. capset(2) and PR_CAPBSET_DROP
/// change only the calling thread, and .NET runs the daemon on many threads (thread pool, signal thread, GC),
/// so the process drops its bounding set on the main thread and executes itself again: a root process gets
/// exactly its bounding set at execve, on the one thread it starts with and on every thread started after.
/// </summary>
public static unsafe partial class ProcessCapabilities
{
    private const int PrCapbsetDrop = 24;

    /// <summary>Set in the environment of the re-executed racoon, which has printed its command-line messages once already.</summary>
    public const string ReexecutedVariable = "KERNELIPSEC_RACOON_REEXECUTED";

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", EntryPoint = "execve", SetLastError = true)]
    private static partial int Execve(byte* path, byte** argv, byte** envp);

    /// <summary>A "CapXxx:" mask of /proc/PID/status (or of one thread: /proc/PID/task/TID/status).</summary>
    public static ulong Read(string statusFile, string field)
    {
        foreach (var line in File.ReadLines(statusFile))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return ulong.Parse(line.AsSpan(field.Length + 1).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }
        throw new InvalidDataException($"{statusFile} has no {field}");
    }

    /// <summary>True when this process may hold a capability outside <paramref name="kept"/>.</summary>
    public static bool HoldsMoreThan(ulong kept) => (Read("/proc/self/status", "CapBnd") & ~kept) != 0;

    /// <summary>
    /// Drops every capability outside <paramref name="kept"/> from the bounding set and executes this program again
    /// with the same arguments and environment. Returns only on failure, with the reason.
    /// </summary>
    public static string ReduceAndReexecute(ulong kept)
    {
        var bounding = Read("/proc/self/status", "CapBnd");
        for (var cap = 0; cap < 64; cap++)
        {
            if ((bounding & (1UL << cap)) != 0 && (kept & (1UL << cap)) == 0 && Prctl(PrCapbsetDrop, (nuint)cap, 0, 0, 0) != 0)
                return $"PR_CAPBSET_DROP {cap}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}";
        }
        var self = Environment.ProcessPath ?? "/proc/self/exe";
        // argv exactly as this process got it (`racoon ...`, or `dotnet racoon.dll ...`).
        var argv = Encoding.UTF8.GetString(File.ReadAllBytes("/proc/self/cmdline")).TrimEnd('\0').Split('\0');
        var envp = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Where(e => (string)e.Key != ReexecutedVariable)
            .Select(e => $"{e.Key}={e.Value}").Append(ReexecutedVariable + "=1").ToList();
        return Execute(self, argv, envp);
    }

    private static string Execute(string path, string[] argv, List<string> envp)
    {
        var strings = new List<nint>();
        try
        {
            nint Native(string s)
            {
                var p = Marshal.StringToCoTaskMemUTF8(s);
                strings.Add(p);
                return p;
            }
            var args = new byte*[argv.Length + 1];
            for (var i = 0; i < argv.Length; i++)
                args[i] = (byte*)Native(argv[i]);
            var env = new byte*[envp.Count + 1];
            for (var i = 0; i < envp.Count; i++)
                env[i] = (byte*)Native(envp[i]);
            fixed (byte** argPointer = args, envPointer = env)
            {
                _ = Execve((byte*)Native(path), argPointer, envPointer);
            }
            return $"execve {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}";
        }
        finally
        {
            foreach (var p in strings)
                Marshal.FreeCoTaskMem(p);
        }
    }
}
