using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Ike.Exchanges.Proposals;

/// <summary>
/// The responder's choice among an initiator's phase 1 transforms (racoon <c>get_ph1approval</c>): the first
/// peer transform, in the peer's order, that equals one of our proposals in cipher, hash, authentication
/// method and group, with lifetime and key length judged by <c>proposal_check</c>:
/// obey takes the initiator's values; strict accepts a lifetime no longer and a key no shorter than ours;
/// claim is strict but settles on our shorter lifetime; exact wants equality.
/// </summary>
public static class Phase1ProposalMatcher
{
    /// <summary>The accepted transform (with the lifetime both sides will use), or null with <paramref name="why"/>.</summary>
    public static Phase1Offer? Select(IReadOnlyList<Phase1Offer> peerOffers, IReadOnlyList<Phase1Offer> ours, ProposalCheckLevel level, out string why)
    {
        var reasons = new List<string>();
        foreach (var peer in peerOffers)
        {
            foreach (var mine in ours)
            {
                if (peer.Encryption != mine.Encryption || peer.Hash != mine.Hash
                    || Phase1Offer.Family(peer.AuthenticationMethod) != Phase1Offer.Family(mine.AuthenticationMethod) || peer.Group != mine.Group)
                {
                    continue;
                }
                if (Accept(peer, mine, level, out var lifetime, out var reason))
                {
                    why = "";
                    return peer with { LifetimeSeconds = lifetime };
                }
                reasons.Add(reason);
            }
        }
        why = reasons.Count > 0 ? string.Join("; ", reasons.Distinct()) : "no transform matched any proposal";
        return null;
    }

    private static bool Accept(Phase1Offer peer, Phase1Offer mine, ProposalCheckLevel level, out uint lifetime, out string reason)
    {
        lifetime = peer.LifetimeSeconds;
        reason = "";
        var peerLifetime = peer.LifetimeSeconds == 0 ? (uint)RemoteConfig.DefaultLifetime.TotalSeconds : peer.LifetimeSeconds;
        switch (level)
        {
            case ProposalCheckLevel.Obey:
                lifetime = peerLifetime;
                return true;
            case ProposalCheckLevel.Strict:
            case ProposalCheckLevel.Claim:
                if (peer.KeyBits != mine.KeyBits && EffectiveKeyBits(peer) < EffectiveKeyBits(mine))
                {
                    reason = $"key length mismatched: peer {EffectiveKeyBits(peer)}, ours {EffectiveKeyBits(mine)}";
                    return false;
                }
                if (level == ProposalCheckLevel.Strict && peerLifetime > mine.LifetimeSeconds)
                {
                    reason = $"long lifetime proposed: {peerLifetime} > {mine.LifetimeSeconds}";
                    return false;
                }
                lifetime = Math.Min(peerLifetime, mine.LifetimeSeconds);
                return true;
            case ProposalCheckLevel.Exact:
                if (EffectiveKeyBits(peer) != EffectiveKeyBits(mine))
                {
                    reason = $"key length mismatched: peer {EffectiveKeyBits(peer)}, ours {EffectiveKeyBits(mine)}";
                    return false;
                }
                if (peerLifetime != mine.LifetimeSeconds)
                {
                    reason = $"lifetime mismatched: peer {peerLifetime}, ours {mine.LifetimeSeconds}";
                    return false;
                }
                return true;
            default:
                reason = $"unknown proposal_check {level}";
                return false;
        }
    }

    /// <summary>AES/Camellia/Blowfish/CAST without a Key Length attribute mean 128 bits (racoon's default).</summary>
    private static int EffectiveKeyBits(Phase1Offer offer) => offer.KeyBits != 0 ? offer.KeyBits : offer.Encryption switch
    {
        EncryptionAlgorithm.DesCbc => 64,
        EncryptionAlgorithm.TripleDesCbc => 192,
        _ => 128,
    };
}
