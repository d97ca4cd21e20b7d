using KernelIpsec.Netlink.Events;

namespace KernelIpsec.Netlink.PfKey;

/// <summary>
/// One PF_KEY message seen by a promiscuous socket (<c>setkey -x</c>): other processes' requests as well as the
/// kernel's answers and broadcasts (a promiscuous socket receives a broadcast meant for it twice, as af_key does).
/// </summary>
/// <param name="Type">sadb_msg_type.</param>
/// <param name="TypeName">The type as pfkeyv2.h names it (SADB_ADD, SADB_X_SPDADD, …).</param>
/// <param name="SaType">sadb_msg_satype.</param>
/// <param name="Errno">sadb_msg_errno (non-zero on an error answer).</param>
/// <param name="Sequence">sadb_msg_seq.</param>
/// <param name="Pid">sadb_msg_pid: the sender's, or 0 from the kernel.</param>
/// <param name="Message">The whole message as received.</param>
/// <param name="Meaning">The message read as an event when it reads as one (an SA, a policy, an ACQUIRE), else null.</param>
public sealed record PfKeyMessageEvent(byte Type, string TypeName, byte SaType, byte Errno, uint Sequence, uint Pid, ReadOnlyMemory<byte> Message, KernelEvent? Meaning)
    : KernelEvent;
