using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Ike.Exchanges.Proposals;

/// <summary>
/// racoon's phase 2 comparison (<c>cmpsaprop_alloc</c>/<c>cmpsatrns</c>): a peer proposal is acceptable
/// when it has exactly our bundle's protocols in our mode and, per protocol, a transform whose algorithms are in
/// the sainfo lists. Lifetime, key length and PFS group follow <c>proposal_check</c>:
/// obey takes the initiator's; strict refuses a longer lifetime, a shorter key, and (when we set pfs_group) another
/// group; claim is strict but answers a longer lifetime with ours (RESPONDER-LIFETIME); exact wants equality.
/// </summary>
public static class Phase2ProposalMatcher
{
    /// <summary>Responder: the first acceptable peer proposal, or null with <paramref name="why"/>.</summary>
    public static Phase2Choice? Select(IReadOnlyList<Phase2Proposal> peer, IReadOnlyList<SaTemplate> bundle, SainfoConfig sainfo,
        ProposalCheckLevel level, out string why)
    {
        var reasons = new List<string>();
        var ourLifetime = (uint)sainfo.Lifetime.TotalSeconds;
        foreach (var proposal in peer)
        {
            if (!SameProtocols(proposal, bundle, out var reason))
            {
                reasons.Add(reason);
                continue;
            }
            var chosen = new List<Phase2ChosenProtocol>();
            foreach (var offer in proposal.Protocols)
            {
                var template = bundle.First(t => t.Protocol == offer.Protocol);
                var transform = offer.Transforms.FirstOrDefault(t => TransformAcceptable(offer.Protocol, t, template, sainfo, level, out reason));
                if (transform is null)
                {
                    reasons.Add(reason);
                    break;
                }
                chosen.Add(new Phase2ChosenProtocol(offer.Protocol, offer.Spi, transform));
            }
            if (chosen.Count != proposal.Protocols.Count)
            {
                continue;
            }
            // Attributes a bundle shares (RFC 2407 4.5): take them from the first protocol's transform.
            var first = chosen[0].Transform;
            if (!PfsAcceptable(first.Group, sainfo.PfsGroup, level, out reason))
            {
                reasons.Add(reason);
                continue;
            }
            var peerSeconds = first.LifetimeSeconds == 0 && first.LifetimeKilobytes == 0 ? (uint)SainfoConfig.DefaultLifetime.TotalSeconds : first.LifetimeSeconds;
            uint seconds;
            var claimed = false;
            switch (level)
            {
                case ProposalCheckLevel.Obey:
                    seconds = peerSeconds;
                    break;
                case ProposalCheckLevel.Strict:
                    if (peerSeconds > ourLifetime || peerSeconds == 0)
                    {
                        reasons.Add($"long lifetime proposed: {(peerSeconds == 0 ? "unlimited" : peerSeconds)} > {ourLifetime}");
                        continue;
                    }
                    seconds = peerSeconds;
                    break;
                case ProposalCheckLevel.Claim:
                    claimed = peerSeconds > ourLifetime || peerSeconds == 0;
                    seconds = claimed ? ourLifetime : peerSeconds;
                    break;
                default:
                    if (peerSeconds != ourLifetime)
                    {
                        reasons.Add($"lifetime mismatched: peer {peerSeconds}, ours {ourLifetime}");
                        continue;
                    }
                    seconds = peerSeconds;
                    break;
            }
            why = "";
            return new Phase2Choice(proposal.Number, chosen, seconds, first.LifetimeKilobytes,
                level == ProposalCheckLevel.Obey || sainfo.PfsGroup is null ? first.Group : sainfo.PfsGroup, claimed);
        }
        why = reasons.Count > 0 ? string.Join("; ", reasons.Distinct()) : "the peer sent no proposal";
        return null;
    }

    /// <summary>
    /// Initiator: the responder's answer must be one of our proposals with one of our transforms per protocol,
    /// and a lifetime no longer than ours (a shorter one is accepted, as RESPONDER-LIFETIME may say).
    /// </summary>
    public static Phase2Choice? Verify(IReadOnlyList<Phase2Proposal> answer, IReadOnlyList<Phase2Proposal> ours, out string why)
    {
        if (answer.Count != 1)
        {
            why = $"the responder returned {answer.Count} proposals instead of one";
            return null;
        }
        var reply = answer[0];
        foreach (var mine in ours)
        {
            if (mine.Protocols.Count != reply.Protocols.Count
                || !mine.Protocols.Select(p => p.Protocol).Order().SequenceEqual(reply.Protocols.Select(p => p.Protocol).Order()))
            {
                continue;
            }
            var chosen = new List<Phase2ChosenProtocol>();
            foreach (var offer in reply.Protocols)
            {
                if (offer.Transforms.Count != 1)
                {
                    why = $"the responder returned {offer.Transforms.Count} transforms for {RacoonText.ProtocolName(offer.Protocol)}";
                    return null;
                }
                var t = offer.Transforms[0];
                var ourOffer = mine.Protocols.First(p => p.Protocol == offer.Protocol);
                var match = ourOffer.Transforms.FirstOrDefault(o => o.TransformId == t.TransformId && o.Mode == t.Mode
                    && EffectiveKeyBits(offer.Protocol, o) == EffectiveKeyBits(offer.Protocol, t)
                    && o.AuthenticationAlgorithm == t.AuthenticationAlgorithm && o.Group == t.Group
                    && (t.LifetimeSeconds == 0 ? o.LifetimeSeconds == 0 : t.LifetimeSeconds <= o.LifetimeSeconds || o.LifetimeSeconds == 0));
                if (match is null)
                {
                    break;
                }
                chosen.Add(new Phase2ChosenProtocol(offer.Protocol, offer.Spi, t));
            }
            if (chosen.Count == reply.Protocols.Count)
            {
                why = "";
                var first = chosen[0].Transform;
                return new Phase2Choice(reply.Number, chosen, first.LifetimeSeconds, first.LifetimeKilobytes, first.Group, false);
            }
        }
        why = "the responder's proposal is not one we offered";
        return null;
    }

    private static bool SameProtocols(Phase2Proposal proposal, IReadOnlyList<SaTemplate> bundle, out string reason)
    {
        var theirs = proposal.Protocols.Select(p => p.Protocol).Order().ToList();
        var ours = bundle.Select(t => t.Protocol).Order().ToList();
        if (theirs.SequenceEqual(ours))
        {
            reason = "";
            return true;
        }
        reason = $"proposal #{proposal.Number} protocols {string.Join("+", theirs.Select(RacoonText.ProtocolName))} differ from the policy's {string.Join("+", ours.Select(RacoonText.ProtocolName))}";
        return false;
    }

    private static bool TransformAcceptable(IpsecSaProtocol protocol, Phase2Transform t, SaTemplate template, SainfoConfig sainfo, ProposalCheckLevel level, out string reason)
    {
        reason = "";
        if (t.Mode != template.Mode)
        {
            reason = $"encmode mismatched: peer {RacoonText.ModeName(t.Mode)}, policy {RacoonText.ModeName(template.Mode)}";
            return false;
        }
        switch (protocol)
        {
            case IpsecSaProtocol.Esp:
                var enc = sainfo.EncryptionAlgorithms.Where(e => (byte)e.Algorithm == t.TransformId).ToList();
                if (enc.Count == 0)
                {
                    reason = $"ESP transform {t.TransformId} not in sainfo {sainfo.Description}";
                    return false;
                }
                if (!enc.Any(e => KeyAcceptable(EffectiveKeyBits(protocol, t), e.KeyLength ?? DefaultEspKeyBits((Phase2Encryption)t.TransformId), level)))
                {
                    reason = $"key length mismatched for ESP transform {t.TransformId}: {EffectiveKeyBits(protocol, t)}";
                    return false;
                }
                if (!sainfo.AuthenticationAlgorithms.Any(a => (int)a == t.AuthenticationAlgorithm))
                {
                    reason = $"authentication algorithm {t.AuthenticationAlgorithm} not in sainfo {sainfo.Description}";
                    return false;
                }
                return true;
            case IpsecSaProtocol.Ah:
                if (!sainfo.AuthenticationAlgorithms.Any(a => AhTransformOk(a, t)))
                {
                    reason = $"AH transform {t.TransformId} not in sainfo {sainfo.Description}";
                    return false;
                }
                return true;
            default:
                if (!sainfo.CompressionAlgorithms.Any(c => (byte)c == t.TransformId))
                {
                    reason = $"IPComp transform {t.TransformId} not in sainfo {sainfo.Description}";
                    return false;
                }
                return true;
        }
    }

    private static bool AhTransformOk(Phase2Authentication a, Phase2Transform t) =>
        Phase2Offers.AhTransformFor(a) == t.TransformId && (t.AuthenticationAlgorithm == 0 || t.AuthenticationAlgorithm == (int)a);

    private static bool KeyAcceptable(int peerBits, int ourBits, ProposalCheckLevel level) => level switch
    {
        ProposalCheckLevel.Obey => true,
        ProposalCheckLevel.Exact => peerBits == ourBits,
        _ => peerBits >= ourBits,
    };

    private static bool PfsAcceptable(DhGroupId? peer, DhGroupId? ours, ProposalCheckLevel level, out string reason)
    {
        reason = "";
        var ok = level switch
        {
            ProposalCheckLevel.Obey => true,
            ProposalCheckLevel.Exact => peer == ours,
            _ => ours is null || peer == ours,
        };
        if (!ok)
        {
            reason = $"pfs group mismatched: peer {(peer is null ? "none" : peer.ToString())}, ours {(ours is null ? "none" : ours.ToString())}";
        }
        return ok;
    }

    /// <summary>Key length in bits with racoon's defaults when the transform has no Key Length attribute.</summary>
    public static int EffectiveKeyBits(IpsecSaProtocol protocol, Phase2Transform t) =>
        protocol != IpsecSaProtocol.Esp ? 0 : t.KeyBits != 0 ? t.KeyBits : DefaultEspKeyBits((Phase2Encryption)t.TransformId);

    public static int DefaultEspKeyBits(Phase2Encryption e) => e switch
    {
        Phase2Encryption.Des or Phase2Encryption.DesIv32 or Phase2Encryption.DesIv64 => 64,
        Phase2Encryption.TripleDes => 192,
        Phase2Encryption.Null => 0,
        _ => 128,
    };
}
