using System.Net;
using KernelIpsec.Netlink.Model;

namespace KernelIpsec.Netlink.Events;

/// <summary>
/// A packet matched an <c>ipsec</c> policy for which no SA exists: the key daemon should negotiate one.
/// </summary>
/// <param name="Source">Outer source of the wanted SA (tunnel endpoint or the packet's source).</param>
/// <param name="Destination">Outer destination of the wanted SA.</param>
/// <param name="Protocol">Protocol of the first template lacking an SA.</param>
/// <param name="Trigger">The triggering packet's addresses, protocol and ports.</param>
/// <param name="Policy">The policy that matched, with its templates and index.</param>
/// <param name="Sequence">Kernel sequence number; pass it as <see cref="SpiRequest.AcquireSequence"/>.</param>
public sealed record AcquireEvent(IPAddress Source, IPAddress Destination, IpsecProtocol Protocol, Selector Trigger, SecurityPolicy Policy, uint Sequence) : KernelEvent;
