using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace KernelIpsec.Keyd.Xauth;

/// <summary>
/// crypt(3) from libcrypt (libxcrypt): every hash method the system knows ($6$ SHA-512, $5$, $y$ yescrypt, $1$,
/// DES), the setting taken from the stored hash, as racoon's xauth_login_system does.
/// </summary>
public static partial class Crypt
{
    // crypt(3) returns a static buffer.
    private static readonly Lock Gate = new();

    /// <summary>Whether <paramref name="password"/> hashes to <paramref name="storedHash"/>.</summary>
    public static bool Verify(ReadOnlySpan<byte> password, string storedHash)
    {
        // An empty field means "no password" to some crypt versions (any password matches); racoon's users would
        // have had a locked account at best: refuse it.
        if (storedHash.Length == 0)
            return false;
        // C strings: the password ends at its first NUL, as racoon's.
        var end = password.IndexOf((byte)0);
        var phrase = new byte[(end < 0 ? password.Length : end) + 1];
        password[..(phrase.Length - 1)].CopyTo(phrase);
        try
        {
            string? hashed;
            lock (Gate)
            {
                hashed = Marshal.PtrToStringUTF8(crypt(phrase, storedHash));
            }
            // libxcrypt answers an unusable setting with a "*0"/"*1" failure token, never equal to a stored hash.
            if (hashed is null || hashed.Length == 0 || hashed[0] == '*')
                return false;
            return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(hashed), Encoding.UTF8.GetBytes(storedHash));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(phrase);
        }
    }

    [LibraryImport("libcrypt.so.1", EntryPoint = "crypt", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr crypt(byte[] phrase, string setting);
}
