using KernelIpsec.Netlink;
using KernelIpsec.Netlink.PfKey;

namespace KernelIpsec.Setkey.Dump;

/// <summary>
/// <c>setkey FILE…</c>: PF_KEY messages saved one after another (as read from a PF_KEY socket, e.g. the answers
/// to SADB_DUMP) printed as setkey's <c>postproc()</c> prints answers: SADB_GET and SADB_DUMP records in the -D
/// format (DEAD SAs only with -a), SADB_X_SPDGET and SADB_X_SPDDUMP records in the -DP format, each with its own
/// sequence number and pid; an error answer as its message ("No SAD entries.", "File exists.", …); other
/// messages silently. Like the reference only the first 32 KiB of a file are read; unlike it, a record whose
/// length is 0 or runs past the data is an error naming its offset instead of a hang or garbage.
/// </summary>
public sealed class SavedMessageDump(DumpFormatter formatter, bool showDead)
{
    public const int MaxBytes = 32 * 1024;

    private const int SadbMsgSize = 16;
    private const int ENOENT = 2;

    /// <summary>Prints every message of <paramref name="data"/>; returns null, or what is wrong with the record it stopped at.</summary>
    public string? Print(ReadOnlySpan<byte> data, TextWriter output)
    {
        data = data[..Math.Min(data.Length, MaxBytes)];
        if (data.Length < SadbMsgSize)
            return $"{data.Length} bytes are too few for a PF_KEY message (sadb_msg is {SadbMsgSize})";
        var at = 0;
        while (at < data.Length)
        {
            if (data.Length - at < SadbMsgSize)
                return $"{data.Length - at} stray bytes at byte {at} after the last message";
            var (type, errno, length, sequence, pid) = SadbWire.ReadHeader(data[at..]);
            if (length < SadbMsgSize || length > data.Length - at)
                return $"message at byte {at}: sadb_msg_len {length / 8} words ({length} bytes) is outside {SadbMsgSize}..{data.Length - at}";
            try
            {
                output.Write(Record(data.Slice(at, length), type, errno, sequence, pid));
            }
            catch (PfKeyFormatException e)
            {
                return $"message at byte {at}: {e.Message}";
            }

            at += length;
        }

        return null;
    }

    private string Record(ReadOnlySpan<byte> message, SadbType type, byte errno, uint sequence, uint pid)
    {
        if (errno != 0)
        {
            return (errno, type) switch
            {
                (ENOENT, SadbType.Delete or SadbType.Get or SadbType.SpdDelete) => "No entry.\n",
                (ENOENT, SadbType.Dump) => "No SAD entries.\n",
                (ENOENT, SadbType.SpdDump) => "No SPD entries.\n",
                _ => KernelErrno.Describe(errno) + ".\n",
            };
        }

        switch (type)
        {
            case SadbType.Get or SadbType.Dump:
                var sa = SadbWire.ReadSa(message, out var dead);
                return dead && !showDead && type == SadbType.Dump ? "" : formatter.FormatSaRecord(sa, sequence, pid);
            case SadbType.SpdGet or SadbType.SpdDump:
                return formatter.FormatPolicyRecord(SadbWire.ReadPolicy(message), sequence, pid);
            default:
                return "";
        }
    }
}
