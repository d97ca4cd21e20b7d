using System.Net;
using System.Text;
using KernelIpsec.Netlink.Model.Algorithms;

namespace KernelIpsec.Netlink.Model;

/// <summary>
/// One SA as setkey writes it and the kernel reports it. Identity (<see cref="Id"/>) is separate from the
/// parameters. Each field is validated on its own when set; <see cref="Validate"/> checks the combination
/// (done by every backend before installing, so nothing half-valid reaches a kernel).
/// </summary>
public sealed record SecurityAssociation
{
    private readonly SaAlgorithm? encryption;
    private readonly SaAlgorithm? authentication;
    private readonly SaAlgorithm? aead;
    private readonly SaAlgorithm? compression;

    public SecurityAssociation(SaId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        Id = id;
    }

    public SecurityAssociation(IPAddress source, IPAddress destination, IpsecProtocol protocol, uint spi)
        : this(new SaId(source, destination, protocol, spi))
    {
    }

    public SaId Id { get; init; }

    public IpsecMode Mode { get; init; } = IpsecMode.Any;

    /// <summary>Binds the SA to policy templates with the same reqid (setkey <c>-u</c>, level <c>unique:N</c>).</summary>
    public uint ReqId { get; init; }

    /// <summary>Anti-replay window in packets (setkey <c>-r</c>); 0 disables the replay check.</summary>
    public uint ReplayWindow { get; init; }

    public SaFlags Flags { get; init; }

    /// <summary>ESP cipher (setkey <c>-E</c>).</summary>
    public SaAlgorithm? Encryption { get => encryption; init => encryption = Slot(value, AlgorithmKind.Encryption); }

    /// <summary>ESP or AH integrity (setkey <c>-A</c>).</summary>
    public SaAlgorithm? Authentication { get => authentication; init => authentication = Slot(value, AlgorithmKind.Authentication); }

    /// <summary>Combined-mode ESP cipher; excludes <see cref="Encryption"/> and <see cref="Authentication"/>.</summary>
    public SaAlgorithm? Aead { get => aead; init => aead = Slot(value, AlgorithmKind.Aead); }

    /// <summary>IPComp algorithm (setkey <c>-C</c>).</summary>
    public SaAlgorithm? Compression { get => compression; init => compression = Slot(value, AlgorithmKind.Compression); }

    public Lifetime Lifetime { get; init; } = Lifetime.Unlimited;

    public NatTraversal? NatTraversal { get; init; }

    public SecurityContext? SecurityContext { get; init; }

    /// <summary>The inner traffic the SA may carry; null means any of the SA's family.</summary>
    public Selector? Selector { get; init; }

    /// <summary>Counters; filled in by the kernel on read-back, ignored when installing.</summary>
    public LifetimeCurrent? Current { get; init; }

    /// <summary>Checks that protocol, algorithms and addresses fit together; throws <see cref="ArgumentException"/> with the reason.</summary>
    public void Validate()
    {
        var what = Id.ToString();
        switch (Id.Protocol)
        {
            case IpsecProtocol.Esp:
                if (Compression is not null)
                    throw new ArgumentException($"{what}: ESP cannot carry a compression algorithm");
                if (Aead is not null && (Encryption is not null || Authentication is not null))
                    throw new ArgumentException($"{what}: an AEAD cipher excludes separate encryption and authentication algorithms");
                if (Aead is null && Encryption is null && Authentication is null)
                    throw new ArgumentException($"{what}: ESP needs an encryption, authentication or AEAD algorithm");
                break;
            case IpsecProtocol.Ah:
                if (Authentication is null)
                    throw new ArgumentException($"{what}: AH needs an authentication algorithm");
                if (Encryption is not null || Aead is not null || Compression is not null)
                    throw new ArgumentException($"{what}: AH carries only an authentication algorithm");
                break;
            case IpsecProtocol.IpComp:
                if (Compression is null)
                    throw new ArgumentException($"{what}: IPComp needs a compression algorithm");
                if (Encryption is not null || Authentication is not null || Aead is not null)
                    throw new ArgumentException($"{what}: IPComp carries only a compression algorithm");
                break;
        }

        if (NatTraversal is not null && Id.Protocol != IpsecProtocol.Esp)
            throw new ArgumentException($"{what}: UDP encapsulation (NAT-T) applies to ESP only");
        if (NatTraversal?.OriginalAddress is { } oa && oa.AddressFamily != Id.Destination.AddressFamily)
            throw new ArgumentException($"{what}: NAT-T original address {oa} is of another address family");
        if (Selector is not null && Mode is IpsecMode.Transport or IpsecMode.Any && Selector.Family != Id.Destination.AddressFamily)
            throw new ArgumentException($"{what}: a transport-mode selector must have the SA's address family");
        if (!Enum.IsDefined(Mode))
            throw new ArgumentException($"{what}: mode {(byte)Mode} is not any, transport, tunnel or beet");
    }

    private static SaAlgorithm? Slot(SaAlgorithm? value, AlgorithmKind kind)
    {
        if (value is not null && value.Algorithm.Kind != kind)
            throw new ArgumentException($"{value.Algorithm.Name} is a {value.Algorithm.Kind} algorithm, not {kind}");
        return value;
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Id = {Id}, Mode = {Mode}, ReqId = {ReqId}, ReplayWindow = {ReplayWindow}, Flags = {Flags}");
        foreach (var (name, alg) in new[] { ("Encryption", Encryption), ("Authentication", Authentication), ("Aead", Aead), ("Compression", Compression) })
        {
            if (alg is not null)
                builder.Append($", {name} = {alg}");
        }

        builder.Append($", Lifetime = {Lifetime}");
        if (NatTraversal is not null)
            builder.Append($", NatTraversal = {NatTraversal}");
        if (SecurityContext is not null)
            builder.Append($", SecurityContext = {SecurityContext}");
        if (Selector is not null)
            builder.Append($", Selector = {Selector}");
        return true;
    }
}
