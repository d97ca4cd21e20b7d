namespace KernelIpsec.Keyd.AdminProtocol;

/// <summary>racoon's evt.h event types (<c>ec_type</c>).</summary>
internal static class EventType
{
    public const uint RacoonQuit = 0x0001;
    public const uint Phase1Up = 0x0100;
    public const uint Phase1Down = 0x0101;
    public const uint Phase1NoResponse = 0x0102;
    public const uint Phase1NoProposal = 0x0103;
    public const uint Phase1AuthFailed = 0x0104;
    public const uint Phase1DpdTimeout = 0x0105;
    public const uint Phase1PeerDeleted = 0x0106;
    public const uint Phase1ModeCfg = 0x0107;
    public const uint Phase1XauthSuccess = 0x0108;
    public const uint Phase1XauthFailed = 0x0109;
    public const uint Phase2NoPhase1 = 0x0200;
    public const uint Phase2Up = 0x0201;
    public const uint Phase2Down = 0x0202;
    public const uint Phase2NoResponse = 0x0203;

    /// <summary>racoonctl's <c>evtmsg</c> table; null for a type it does not know (printed as <c>Event N: </c>).</summary>
    public static string? Message(uint type) => type switch
    {
        RacoonQuit => "Racoon terminated",
        Phase1Up => "Phase 1 established",
        Phase1Down => "Phase 1 deleted",
        Phase1NoResponse => "Phase 1 error: peer not responding",
        Phase1NoProposal => "Phase 1 error: no proposal chosen",
        Phase1AuthFailed => "Phase 1 error: authentication failed (bad certificate?)",
        Phase1DpdTimeout => "Phase 1 error: dead peer detected",
        Phase1ModeCfg => "Phase 1 mode configuration done",
        Phase1XauthSuccess => "Phase 1 Xauth succeeded",
        Phase1XauthFailed => "Phase 1 Xauth failed",
        Phase2NoPhase1 => "Phase 2 error: no suitable phase 1",
        Phase2Up => "Phase 2 established",
        Phase2Down => "Phase 2 deleted",
        Phase2NoResponse => "Phase 2 error: no response",
        _ => null,
    };
}
