// racoon-style log lines mark rare protocol events; building their arguments costs nothing that matters.
#pragma warning disable CA1873

using System.Net;
using KernelIpsec.Ike.Exchanges;
using KernelIpsec.Ike.Exchanges.Messages;
using KernelIpsec.Ike.Exchanges.Phase1;
using KernelIpsec.Ike.Exchanges.Transaction;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Ike.Engine;

// Remote access after phase 1: the Transaction exchange (XAuth, Mode Config), Phase1Up when racoon would run phase1_up,
// the address lease, and racoonctl's view of the logged-in users.
//
// Where Phase1Up goes: racoon runs its phase1_up hook at the end of phase 1 unless XAuth or Mode Config follow; an
// XAuth server runs it after its Mode Config REPLY (so the script sees XAUTH_USER and INTERNAL_ADDR4, the interop
// rig's observation), a Mode Config client after the REPLY (or pushed SET) it received. The engine emits Phase1Up at
// exactly those points, when the Transaction exchange says it is Completed, with the attributes in its Details; the
// ACQUIREs waiting for the phase 1 start their quick modes then too (a server refuses phase 2 before XAuth).
public sealed partial class Engine
{
    // One Mode Config address pool and one XAuth throttle for all SAs, as racoon's globals are.
    private readonly AddressPool pool = new();
    private readonly XauthThrottle throttle = new();

    /// <summary>The users logged in by XAuth on our side as server, with their peers (racoonctl's view).</summary>
    public IReadOnlyList<(string User, IPEndPoint Peer)> XauthUsers =>
        [.. sas.All().Where(e => e.Sa.State == IsakmpSaState.Established && e.Transaction is { Role: XauthRole.Server, XauthOk: true, XauthUser: not null })
            .Select(e => (e.Transaction!.XauthUser!, e.Sa.Peer))];

    /// <summary>
    /// racoonctl logout-user USER: every ISAKMP SA on which <paramref name="user"/> logged in by XAuth (we the server)
    /// is deleted, with the IPsec SAs negotiated under it, telling the peer.
    /// </summary>
    public IReadOnlyList<EngineIntent> LogoutUser(string user, DateTimeOffset now)
    {
        Begin(now);
        foreach (var entry in sas.All().Where(e => e.Sa.State == IsakmpSaState.Established
            && e.Transaction is { Role: XauthRole.Server, XauthUser: { } u } && u == user).ToList())
        {
            foreach (var sa in installed.WithPeer(entry.Sa.Peer.Address).Where(i => i.Phase1 == entry.Sa).ToList())
            {
                PurgeInstalled(sa, tellPeer: true);
            }
            EngineLog.PurgedISAKMPSASpi(Log, entry.Sa.Index);
            DeletePhase1Entry(entry, $"logout of user {user}");
        }
        return Finish();
    }

    private void TransactionMessage(IPEndPoint remote, IsakmpHeader h, byte[] bytes, string fingerprint)
    {
        var entry = sas.Find(h.InitiatorCookie, h.ResponderCookie, remote);
        if (entry is null || entry.Sa.State != IsakmpSaState.Established || entry.Transaction is not { } tx)
        {
            EngineLog.TransactionIgnored(Log, entry is null ? "unknown ISAKMP-SA" : "ISAKMP mode config exchange with immature phase 1",
                RacoonText.Index(h.InitiatorCookie, h.ResponderCookie), RacoonText.Endpoint(remote));
            return;
        }
        Touch(entry);
        try
        {
            Emit(tx.Handle(h, bytes));
        }
        catch (ExchangeException f)
        {
            Emit(f.Done);
            EngineLog.ErrorMessage(Log, f.Message);
            if (f.Fatal)
            {
                DeletePhase1Entry(entry, f.Message);
            }
            else
            {
                UpdateTransactionResend(entry);
            }
            return;
        }
        received.Remember(fingerprint, tx.LastAnswer, Now);
        UpdateTransactionResend(entry);
        TransactionProgress(entry);
    }

    /// <summary>Phase 1 is established: XAuth / Mode Config start (or are not needed, and Phase1Up goes at once).</summary>
    private void StartTransaction(IsakmpSaEntry entry)
    {
        var role = entry.Exchange.ChosenAuthenticationMethod is { } method ? XauthRoles.For(entry.Sa.Remote, method) : XauthRole.None;
        var tx = new TransactionExchange(entry.Sa, s, role, Now + s.Timers.Phase1Timeout, pool, throttle);
        entry.Transaction = tx;
        try
        {
            Emit(tx.Start());
        }
        catch (ExchangeException f)
        {
            Emit(f.Done);
            EngineLog.ErrorMessage(Log, f.Message);
            DeletePhase1Entry(entry, f.Message);
            return;
        }
        UpdateTransactionResend(entry);
        TransactionProgress(entry);
    }

    /// <summary>Once XAuth and Mode Config are done: Phase1Up with what they gave, then the quick modes that waited.</summary>
    private void TransactionProgress(IsakmpSaEntry entry)
    {
        if (entry.Transaction is not { Completed: true } || entry.Phase1UpSent || entry.Sa.State != IsakmpSaState.Established)
        {
            return;
        }
        entry.Phase1UpSent = true;
        var sa = entry.Sa;
        Emit(new Phase1Up(sa.Local, sa.Peer, sa.InitiatorCookie, sa.ResponderCookie, DetailsOf(entry)));
        var pending = entry.PendingAcquires.ToList();
        ClearPendingAcquires(entry);
        foreach (var acquire in pending)
        {
            StartQuickMode(entry, acquire);
        }
    }

    private static Phase1Details DetailsOf(IsakmpSaEntry entry) =>
        new(entry.Sa.PeerId is { } id ? Identities.Text(id) : null, entry.Transaction?.XauthUser, entry.Transaction?.Attributes, entry.Transaction?.LeaseSlot);

    /// <summary>The exchange says what to send again until answered; the engine owns the timer.</summary>
    private void UpdateTransactionResend(IsakmpSaEntry entry)
    {
        var wanted = entry.Transaction?.Retransmit;
        if (!ReferenceEquals(wanted, entry.TransactionResend?.Datagram))
        {
            entry.TransactionResend = wanted is null ? null : new Retransmission(s.Timers, wanted, Now);
        }
    }

    /// <summary>Resends and the deadline of an unfinished XAuth / Mode Config; false when the phase 1 was removed for it.</summary>
    private bool TransactionTimers(IsakmpSaEntry entry, DateTimeOffset now)
    {
        if (entry.Transaction is not { Completed: false } tx)
        {
            return true;
        }
        var resend = entry.TransactionResend;
        if (now >= tx.Deadline || (resend is not null && resend.Exhausted && now >= resend.NextDue))
        {
            var reason = $"XAuth/Mode Config did not complete in time with {RacoonText.Endpoint(entry.Sa.Peer)}. {entry.Sa.Index}";
            EngineLog.ErrorReason(Log, reason);
            DeletePhase1Entry(entry, reason);
            return false;
        }
        if (resend is not null && now >= resend.NextDue && resend.Fire(now) is var copies and > 0)
        {
            EngineLog.ResendTransactionPacket(Log, entry.Sa.Index);
            SendCopies(entry.Sa, resend.Datagram, copies);
        }
        return true;
    }

    /// <summary>An XAuth server takes no quick mode from a peer that has not logged in.</summary>
    private bool RefusesPhase2(IsakmpSaEntry entry, IPEndPoint remote)
    {
        if (entry.Transaction is not { BlocksPhase2: true })
        {
            return false;
        }
        EngineLog.Phase2BeforeXauth(Log, RacoonText.Endpoint(remote));
        return true;
    }

    /// <summary>The Mode Config address of a phase 1 that goes is free again (when no other SA of its user holds it).</summary>
    private void ReleaseLease(IsakmpSaEntry entry)
    {
        if (entry.Transaction?.ReleaseLease() is { } slot)
        {
            EngineLog.ReleasedPort(Log, slot);
        }
    }
}
