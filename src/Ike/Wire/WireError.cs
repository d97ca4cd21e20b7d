namespace KernelIpsec.Ike.Wire;

/// <summary>
/// Why bytes from the network could not be read: <see cref="Message"/> names the field
/// ("Transform payload: attribute length 300 exceeds payload"), <see cref="Notify"/> is the
/// RFC 2408 §3.14.1 notify type to answer the peer with.
/// </summary>
public readonly record struct WireError(NotifyType Notify, string Message)
{
    public static WireError Malformed(string message) => new(NotifyType.PayloadMalformed, message);

    /// <summary>The same error with context (payload index, offset) appended.</summary>
    public WireError Within(string context) => new(Notify, $"{Message} ({context})");

    public override string ToString() => $"{Message} [{NotifyNames.Name(Notify)}]";
}
