namespace KernelIpsec.Ike.Engine;

/// <summary>Dead peer detection for one ISAKMP SA (RFC 3706): the last sequence sent, the probe outstanding, misses, next probe.</summary>
internal sealed class DpdState
{
    public uint Sequence { get; set; }
    public uint? Outstanding { get; set; }
    public int Failures { get; set; }
    public DateTimeOffset? Next { get; set; }
}
