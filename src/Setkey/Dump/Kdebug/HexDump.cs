using System.Globalization;
using System.Text;

namespace KernelIpsec.Setkey.Dump.Kdebug;

/// <summary>
/// <c>setkey -H</c>: a message's raw bytes, 16 to a line, each line starting with its offset (<c>%08x: </c>) and
/// each byte followed by a space, as setkey prints them before sending a request and, with <c>-x</c>, for every
/// message seen.
/// </summary>
public static class HexDump
{
    public static string Format(ReadOnlySpan<byte> bytes)
    {
        var o = new StringBuilder();
        for (var i = 0; i < bytes.Length; i++)
        {
            if (i % 16 == 0)
                o.Append(i.ToString("x8", CultureInfo.InvariantCulture)).Append(": ");
            o.Append(bytes[i].ToString("x2", CultureInfo.InvariantCulture)).Append(' ');
            if (i % 16 == 15)
                o.Append('\n');
        }

        if (bytes.Length % 16 != 0)
            o.Append('\n');
        return o.ToString();
    }
}
