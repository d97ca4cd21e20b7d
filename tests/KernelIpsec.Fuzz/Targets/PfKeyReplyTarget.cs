using KernelIpsec.Netlink.PfKey;
using static KernelIpsec.Netlink.PfKey.PfKeyConstants;

namespace KernelIpsec.Fuzz.Targets;

/// <summary>
/// A PF_KEY (RFC 2367) message from the kernel: the message and extension reader, then the decoders racoon's
/// requests use for its type (SA, policy, ACQUIRE) and the notification decoder. Expected rejection:
/// PfKeyFormatException; notifications also drop an ArgumentException, as the subscription does.
/// </summary>
public sealed class PfKeyReplyTarget : IFuzzTarget
{
    public string Name => "pfkey";

    public void Run(ReadOnlySpan<byte> input)
    {
        SadbMessage m;
        try
        {
            m = SadbMessage.Parse(input);
        }
        catch (PfKeyFormatException)
        {
            return;
        }

        try
        {
            _ = m.Header.Type switch
            {
                SADB_GET or SADB_DUMP or SADB_GETSPI => PfKeyDecoder.Sa(m).ToString(),
                SADB_X_SPDGET or SADB_X_SPDDUMP => PfKeyDecoder.Policy(m).ToString(),
                SADB_ACQUIRE => PfKeyDecoder.Acquire(m, null).ToString(),
                _ => m.Name,
            };
        }
        catch (PfKeyFormatException)
        {
        }

        try
        {
            _ = PfKeyDecoder.Event(m)?.ToString();
        }
        catch (Exception e) when (e is PfKeyFormatException or ArgumentException)
        {
        }
    }
}
