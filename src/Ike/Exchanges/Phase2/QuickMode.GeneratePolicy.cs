using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Exchanges.Messages;
using KernelIpsec.Ike.Exchanges.Proposals;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Ike.Exchanges.Phase2;

// generate_policy (racoon's get_proposal_r with gen_policy, set_proposal_from_proposal, pk_sendspdupdate2): a responder
// without a policy for the initiator's IDs makes one from them and from the initiator's first proposal, and installs
// it with the SAs. A policy it generated earlier (a rekey, a reconnection) is refreshed the same way.
internal sealed partial class QuickMode
{
    /// <summary>Responder: <see cref="Policy"/> was generated (or refreshed) by generate_policy and is installed with the SAs.</summary>
    public bool PolicyGenerated { get; private init; }

    /// <summary>The policy for the initiator's IDs: the SPD's, else a generated one; and whether generate_policy owns it.</summary>
    private static (IpsecPolicy? Policy, bool Generated) FindOrGeneratePolicy(IsakmpSa ph1, ExchangeServices s, InboundMessage message, RawPayload saRaw,
        TrafficSelector localTs, TrafficSelector remoteTs)
    {
        var found = s.Policies.FindOutbound(localTs, remoteTs);
        var mode = ph1.Remote.GeneratePolicy;
        if (mode == GeneratePolicyMode.Off)
            return (found, false);
        if (found is not null)
            return (found, s.GeneratedPolicies.Contains(found));
        var proposals = Phase2SaCodec.Parse(message.Read(saRaw, SecurityAssociationPayload.Read), [], udp: ph1.NatT.InUse);
        var proposal = proposals.Count > 0 ? proposals[0] : null;
        if (proposal is null || proposal.Protocols.Any(p => p.Transforms.Count == 0))
            return (null, false);
        LogGeneratingPolicy(s.Log, $"{remoteTs} <=> {localTs}");
        // Tunnel endpoints are the phase 1 addresses; `unique` gives each protocol a reqid of its own.
        var templates = proposal.Protocols.Select(p =>
        {
            var tunnel = p.Transforms[0].Mode == IpsecSaMode.Tunnel;
            return new SaTemplate(p.Protocol, p.Transforms[0].Mode, tunnel ? ph1.Local.Address : null, tunnel ? ph1.Peer.Address : null,
                mode == GeneratePolicyMode.Unique ? s.GeneratedPolicies.NextReqid() : 0);
        }).ToList();
        return (new IpsecPolicy(localTs, remoteTs, templates, 0), true);
    }

    /// <summary>After the SAs: their policies (in, fwd for tunnel mode, out), expiring with them.</summary>
    private void InstallGeneratedPolicy(ulong lifetimeSeconds)
    {
        if (!PolicyGenerated)
            return;
        s.GeneratedPolicies.Add(Policy);
        Out.Add(new InstallPolicy(Policy, ph1.Remote.GeneratePolicy == GeneratePolicyMode.Unique, lifetimeSeconds));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "no policy found, try to generate the policy : {Selectors}")]
    private static partial void LogGeneratingPolicy(ILogger logger, string selectors);
}
