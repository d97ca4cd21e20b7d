using KernelIpsec.Netlink.Events;
using KernelIpsec.Netlink.Model;
using static KernelIpsec.Netlink.PfKey.PfKeyConstants;

namespace KernelIpsec.Netlink.PfKey;

/// <summary>
/// PF_KEY messages as bytes for tools that show them (<c>setkey -v</c>, <c>-x</c>, <c>-H</c>, <c>setkey FILE…</c>):
/// the requests the PF_KEY backend sends, the answers and broadcasts af_key sends, and the reading of saved
/// messages. Over XFRM this is how an operation or an event is shown as the PF_KEY message it corresponds to, so
/// one renderer serves both backends. Requests are written as <see cref="PfKeyKernel"/> writes them, minus what
/// PF_KEY cannot carry (an SA selector, policy flags, a replay window over 255 are dropped for the display).
/// </summary>
public static class SadbWire
{
    /// <summary>SADB_ADD / SADB_UPDATE as sent. Throws <see cref="ArgumentException"/> for an algorithm PF_KEY has no id for.</summary>
    public static byte[] AddSaRequest(SecurityAssociation sa, bool update, uint sequence, uint pid)
    {
        ArgumentNullException.ThrowIfNull(sa);
        var shown = sa with { ReplayWindow = Math.Min(sa.ReplayWindow, byte.MaxValue), Flags = sa.Flags & PfKeyMessages.PfKeyExpressibleFlags, Selector = null };
        return PfKeyMessages.AddSa(shown, update, sequence, pid);
    }

    /// <summary>SADB_GET / SADB_DELETE as sent.</summary>
    public static byte[] SaIdRequest(SadbType type, SaId id, uint sequence, uint pid) => PfKeyMessages.SaId(id, (byte)type, sequence, pid);

    /// <summary>SADB_FLUSH of one protocol or (null) all.</summary>
    public static byte[] FlushRequest(IpsecProtocol? protocol, uint sequence, uint pid) => PfKeyMessages.Flush(protocol, sequence, pid);

    /// <summary>SADB_GETSPI as sent.</summary>
    public static byte[] GetSpiRequest(SpiRequest request, uint sequence, uint pid) => PfKeyMessages.GetSpi(request, sequence, pid);

    /// <summary>SADB_X_SPDADD / SADB_X_SPDUPDATE as sent.</summary>
    public static byte[] PolicyRequest(SecurityPolicy policy, bool update, uint sequence, uint pid)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return PfKeyMessages.SpdAdd(policy with { Flags = PolicyFlags.None, Index = update ? policy.Index : 0 }, update, sequence, pid);
    }

    /// <summary>SADB_X_SPDDELETE as sent.</summary>
    public static byte[] DeletePolicyRequest(PolicyId id, uint sequence, uint pid) => PfKeyMessages.SpdDelete(id, sequence, pid);

    /// <summary>
    /// A message with the header alone: a request such as SADB_DUMP or SADB_X_SPDFLUSH, the kernel's echo of one, or
    /// (<paramref name="errno"/> set) an error answer.
    /// </summary>
    public static byte[] Header(SadbType type, IpsecProtocol? protocol, uint sequence, uint pid, int errno = 0) =>
        PfKeyNotifications.Header((byte)type, protocol is { } p ? PfKeyMessages.SaType(p) : SADB_SATYPE_UNSPEC, (byte)Math.Clamp(errno, 0, byte.MaxValue), sequence, pid);

    /// <summary>An SA as af_key answers or dumps it (keys and lifetimes included); <paramref name="larval"/> for a GETSPI answer.</summary>
    public static byte[] SaRecord(SadbType type, SecurityAssociation sa, uint sequence, uint pid, bool larval = false)
    {
        ArgumentNullException.ThrowIfNull(sa);
        return PfKeyNotifications.Sa((byte)type, sa, larval ? SADB_SASTATE_LARVAL : SADB_SASTATE_MATURE, hard: true, soft: true, keys: true, sequence, pid);
    }

    /// <summary>A policy as af_key answers or dumps it.</summary>
    public static byte[] PolicyRecord(SadbType type, SecurityPolicy policy, uint sequence, uint pid)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return PfKeyNotifications.Policy((byte)type, policy, sequence, pid);
    }

    /// <summary>
    /// The PF_KEY message a kernel event is (over PF_KEY's promiscuous monitor, the message itself), or null for an
    /// event PF_KEY has no message for (lost events).
    /// </summary>
    public static byte[]? FromEvent(KernelEvent kernelEvent)
    {
        ArgumentNullException.ThrowIfNull(kernelEvent);
        return PfKeyNotifications.Event(kernelEvent);
    }

    /// <summary>
    /// The header of a saved message: its type, errno, length in bytes (sadb_msg_len × 8), sequence number and pid.
    /// Throws <see cref="PfKeyFormatException"/> when fewer than 16 bytes are left.
    /// </summary>
    public static (SadbType Type, byte Errno, int Length, uint Sequence, uint Pid) ReadHeader(ReadOnlySpan<byte> message)
    {
        var h = SadbMessage.ReadHeader(message);
        return ((SadbType)h.Type, h.Errno, h.LengthWords * WordBytes, h.Sequence, h.Pid);
    }

    /// <summary>Reads an SA record (SADB_GET/SADB_DUMP answer); <paramref name="dead"/> tells whether sadb_sa_state is DEAD.</summary>
    public static SecurityAssociation ReadSa(ReadOnlySpan<byte> message, out bool dead)
    {
        var m = SadbMessage.Parse(message);
        dead = m.Sa() is { State: SADB_SASTATE_DEAD };
        return PfKeyDecoder.Sa(m);
    }

    /// <summary>Reads a policy record (SADB_X_SPDGET/SADB_X_SPDDUMP answer).</summary>
    public static SecurityPolicy ReadPolicy(ReadOnlySpan<byte> message) => PfKeyDecoder.Policy(SadbMessage.Parse(message));
}
