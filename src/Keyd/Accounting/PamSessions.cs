using System.Runtime.InteropServices;

namespace KernelIpsec.Keyd.Accounting;

/// <summary>
/// The PAM handles <see cref="Xauth.PamXauthAuthenticator"/> keeps after an accepted login when `accounting pam` is
/// on (racoon keeps them in its port pool). A login that never gets an address leaves its handle waiting; a user keeps
/// at most <see cref="MaxWaiting"/> of them, the oldest ended first. Closing ends the handle (pam_end), as racoon does.
/// </summary>
public sealed partial class PamSessions : IPamSessions, IDisposable
{
    /// <summary>Handles of one user's accepted logins waiting for their session.</summary>
    public const int MaxWaiting = 8;

    private readonly Lock gate = new();
    private readonly Dictionary<string, LinkedList<IntPtr>> waiting = [];
    private readonly Dictionary<string, Stack<IntPtr>> open = [];

    /// <summary>Keeps the handle of an accepted login of <paramref name="user"/> for its session.</summary>
    public void Hold(string user, IntPtr pam)
    {
        IntPtr? dropped = null;
        lock (gate)
        {
            var list = waiting.TryGetValue(user, out var l) ? l : waiting[user] = new LinkedList<IntPtr>();
            list.AddLast(pam);
            if (list.Count > MaxWaiting)
            {
                dropped = list.First!.Value;
                list.RemoveFirst();
            }
        }
        if (dropped is { } old)
            _ = pam_end(old, 0);
    }

    public bool Open(string user, out string? error)
    {
        IntPtr pam;
        lock (gate)
        {
            if (!waiting.TryGetValue(user, out var list) || list.Count == 0)
            {
                error = "pam handle is NULL";
                return false;
            }
            pam = list.Last!.Value;
            list.RemoveLast();
        }
        var status = pam_open_session(pam, 0);
        if (status != 0)
        {
            error = $"pam_open_session/pam_close_session failed: {Describe(pam, status)}";
            _ = pam_end(pam, status);
            return false;
        }
        lock (gate)
            (open.TryGetValue(user, out var s) ? s : open[user] = new Stack<IntPtr>()).Push(pam);
        error = null;
        return true;
    }

    public bool Close(string user, out string? error)
    {
        IntPtr pam;
        lock (gate)
        {
            if (!open.TryGetValue(user, out var stack) || stack.Count == 0)
            {
                error = "pam handle is NULL";
                return false;
            }
            pam = stack.Pop();
        }
        var status = pam_close_session(pam, 0);
        error = status == 0 ? null : $"pam_open_session/pam_close_session failed: {Describe(pam, status)}";
        _ = pam_end(pam, status);
        return status == 0;
    }

    /// <summary>Ends every handle still held (daemon exit); open sessions are closed first.</summary>
    public void Dispose()
    {
        List<IntPtr> sessions, handles;
        lock (gate)
        {
            sessions = [.. open.Values.SelectMany(s => s)];
            handles = [.. waiting.Values.SelectMany(l => l)];
            open.Clear();
            waiting.Clear();
        }
        foreach (var pam in sessions)
        {
            var status = pam_close_session(pam, 0);
            _ = pam_end(pam, status);
        }
        foreach (var pam in handles)
            _ = pam_end(pam, 0);
    }

    private static string Describe(IntPtr pam, int error) => Marshal.PtrToStringUTF8(pam_strerror(pam, error)) ?? $"PAM error {error}";

    [LibraryImport("libpam.so.0")]
    private static partial int pam_open_session(IntPtr pam, int flags);

    [LibraryImport("libpam.so.0")]
    private static partial int pam_close_session(IntPtr pam, int flags);

    [LibraryImport("libpam.so.0")]
    private static partial int pam_end(IntPtr pam, int status);

    [LibraryImport("libpam.so.0")]
    private static partial IntPtr pam_strerror(IntPtr pam, int error);
}
