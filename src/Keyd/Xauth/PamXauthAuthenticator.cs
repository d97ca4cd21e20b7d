using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using KernelIpsec.Ike.Sa;

namespace KernelIpsec.Keyd.Xauth;

/// <summary>
/// `auth_source pam` (racoon's xauth_login_pam): pam_start with the service "racoon" and the login, a conversation
/// that answers the echo-off prompt with the password and the echo-on prompt with the login, then pam_authenticate,
/// pam_acct_mgmt and pam_setcred; a failing step refuses the login with pam_strerror's words. Group membership
/// (auth_groups) is <paramref name="groups"/>' answer (group_source). <paramref name="configDirectory"/> replaces
/// /etc/pam.d (pam_start_confdir; tests). With <paramref name="sessions"/> (`accounting pam`) an accepted login's
/// handle is kept there for its session instead of ended.
/// </summary>
public sealed partial class PamXauthAuthenticator(IXauthAuthenticator groups, string service = PamXauthAuthenticator.Service, string? configDirectory = null,
    Accounting.PamSessions? sessions = null)
    : IXauthAuthenticator
{
    /// <summary>The PAM service racoon uses (/etc/pam.d/racoon).</summary>
    public const string Service = "racoon";

    private const int PamSuccess = 0;
    private const int PamConvErr = 19;
    private const int PamBufErr = 5;
    private const int PamRuser = 8;
    private const int PamConvItem = 5;
    private const int PamEstablishCred = 0x2;
    private const int PamPromptEchoOff = 1;
    private const int PamPromptEchoOn = 2;

    public bool IsMemberOf(string user, string group) => groups.IsMemberOf(user, group);

    public bool Authenticate(string user, ReadOnlySpan<byte> password, out string? reason)
    {
        var end = password.IndexOf((byte)0);
        var answers = new Answers(user, password[..(end < 0 ? password.Length : end)].ToArray());
        var handle = GCHandle.Alloc(answers);
        try
        {
            return Run(user, GCHandle.ToIntPtr(handle), out reason);
        }
        finally
        {
            handle.Free();
            Array.Clear(answers.Password);
        }
    }

    private unsafe bool Run(string user, IntPtr state, out string? reason)
    {
        var conversation = new PamConv { Conv = &Converse, AppData = state };
        IntPtr pam;
        var error = configDirectory is null
            ? pam_start(service, user, ref conversation, out pam)
            : pam_start_confdir(service, user, ref conversation, configDirectory, out pam);
        if (error != PamSuccess)
        {
            reason = pam == IntPtr.Zero ? "pam_start failed" : $"pam_start failed: {Describe(pam, error)}";
            if (pam != IntPtr.Zero)
                _ = pam_end(pam, error);
            return false;
        }
        string? failed = null;
        if ((error = pam_set_item(pam, PamRuser, user)) != PamSuccess)
            failed = "pam_set_item";
        else if ((error = pam_authenticate(pam, 0)) != PamSuccess)
            failed = "pam_authenticate";
        else if ((error = pam_acct_mgmt(pam, 0)) != PamSuccess)
            failed = "pam_acct_mgmt";
        else if ((error = pam_setcred(pam, PamEstablishCred)) != PamSuccess)
            failed = "pam_setcred";
        reason = failed is null ? null : $"{failed} failed: {Describe(pam, error)}";
        if (failed is null && sessions is not null)
        {
            // The session outlives this call and its password: later conversations get no answers.
            var silent = new PamConv { Conv = &Converse, AppData = IntPtr.Zero };
            if (pam_set_item(pam, PamConvItem, ref silent) == PamSuccess)
            {
                sessions.Hold(user, pam);
                return true;
            }
        }
        _ = pam_end(pam, error);
        return failed is null;
    }

    private static string Describe(IntPtr pam, int error) => Marshal.PtrToStringUTF8(pam_strerror(pam, error)) ?? $"PAM error {error}";

    private sealed record Answers(string User, byte[] Password);

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct PamConv
    {
        public delegate* unmanaged[Cdecl]<int, IntPtr, IntPtr, IntPtr, int> Conv;
        public IntPtr AppData;
    }

    /// <summary>
    /// PAM's conversation: an array of malloc'd <c>struct pam_response {char *resp; int resp_retcode;}</c>, which
    /// PAM frees; informational and error messages get no answer.
    /// </summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe int Converse(int count, IntPtr messages, IntPtr responses, IntPtr appData)
    {
        if (count <= 0 || appData == IntPtr.Zero)
            return PamConvErr;
        var answers = (Answers)GCHandle.FromIntPtr(appData).Target!;
        var reply = (IntPtr*)NativeMemory.AllocZeroed((nuint)count, (nuint)(2 * IntPtr.Size));
        if (reply == null)
            return PamBufErr;
        for (var i = 0; i < count; i++)
        {
            // Linux-PAM passes an array of pointers to struct pam_message {int msg_style; const char *msg;}.
            var message = ((IntPtr*)messages)[i];
            var style = Marshal.ReadInt32(message);
            reply[i * 2] = style switch
            {
                PamPromptEchoOff => CString(answers.Password),
                PamPromptEchoOn => CString(System.Text.Encoding.UTF8.GetBytes(answers.User)),
                _ => IntPtr.Zero,
            };
        }
        *(IntPtr*)responses = (IntPtr)reply;
        return PamSuccess;
    }

    private static unsafe IntPtr CString(byte[] bytes)
    {
        var text = (byte*)NativeMemory.Alloc((nuint)bytes.Length + 1);
        bytes.CopyTo(new Span<byte>(text, bytes.Length));
        text[bytes.Length] = 0;
        return (IntPtr)text;
    }

    [LibraryImport("libpam.so.0", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int pam_start(string service, string user, ref PamConv conversation, out IntPtr pam);

    [LibraryImport("libpam.so.0", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int pam_start_confdir(string service, string user, ref PamConv conversation, string configDirectory, out IntPtr pam);

    [LibraryImport("libpam.so.0", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int pam_set_item(IntPtr pam, int type, string value);

    [LibraryImport("libpam.so.0")]
    private static partial int pam_set_item(IntPtr pam, int type, ref PamConv conversation);

    [LibraryImport("libpam.so.0")]
    private static partial int pam_authenticate(IntPtr pam, int flags);

    [LibraryImport("libpam.so.0")]
    private static partial int pam_acct_mgmt(IntPtr pam, int flags);

    [LibraryImport("libpam.so.0")]
    private static partial int pam_setcred(IntPtr pam, int flags);

    [LibraryImport("libpam.so.0")]
    private static partial int pam_end(IntPtr pam, int status);

    [LibraryImport("libpam.so.0")]
    private static partial IntPtr pam_strerror(IntPtr pam, int error);
}
