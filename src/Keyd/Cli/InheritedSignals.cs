using System.Runtime.InteropServices;

namespace KernelIpsec.Keyd.Cli;

/// <summary>
/// Signals a parent left ignored. A racoon started under nohup (SIGHUP ignored) or as a shell's background job
/// (SIGINT ignored) must still reload on SIGHUP and stop on SIGINT/SIGTERM, as racoon's own signal() calls make it.
/// .NET keeps a signal that was ignored at start ignored even when a PosixSignalRegistration asks for it, so the
/// disposition goes back to the default just before the registrations.
/// </summary>
internal static partial class InheritedSignals
{
    private const int SigHup = 1;
    private const int SigInt = 2;
    private const int SigTerm = 15;
    private const nint SigDfl = 0;

    public static void ResetToDefault()
    {
        foreach (var signal in (ReadOnlySpan<int>)[SigHup, SigInt, SigTerm])
        {
            _ = Signal(signal, SigDfl);
        }
    }

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial nint Signal(int signal, nint handler);
}
