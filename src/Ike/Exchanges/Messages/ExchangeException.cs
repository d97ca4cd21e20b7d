using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Ike.Exchanges.Messages;

/// <summary>
/// A message could not be used. <see cref="Notify"/> is what to answer the peer with (null: stay silent);
/// <see cref="Fatal"/> ends the negotiation (no proposal, no key, bad certificate, wrong identity), while a
/// non-fatal failure (undecryptable, bad hash, malformed) drops the message and changes nothing: a forged or
/// damaged packet must not be able to kill a negotiation.
/// </summary>
public sealed class ExchangeException : Exception
{
    public ExchangeException(string message, NotifyType? notify, bool fatal) : base(message)
    {
        Notify = notify;
        Fatal = fatal;
    }

    public ExchangeException()
    {
    }

    public ExchangeException(string message) : base(message)
    {
    }

    public ExchangeException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public NotifyType? Notify { get; }

    public bool Fatal { get; }

    /// <summary>What the failing step had already done (sent) before it failed; the engine carries it out first.</summary>
    public IReadOnlyList<EngineIntent> Done { get; internal set; } = [];

    public static ExchangeException Drop(string message, NotifyType? notify = null) => new(message, notify, false);

    public static ExchangeException Abort(string message, NotifyType? notify) => new(message, notify, true);

    public static ExchangeException From(WireError error, string context) => new($"{context}: {error.Message}", error.Notify, false);
}
