namespace KernelIpsec.Ike.Config;

/// <summary>
/// One configured identifier. <see cref="Value"/> is the text as written (address, name, path, DN);
/// null means "derive it" (own address, certificate subject).
/// </summary>
public sealed record IdentifierConfig(IdentifierType Type, string? Value)
{
    /// <summary>racoon's default `my_identifier address` (own address).</summary>
    public static IdentifierConfig OwnAddress { get; } = new(IdentifierType.Address, null);

    /// <summary>The keyword racoon.conf uses for this type.</summary>
    public string Keyword => Type switch
    {
        IdentifierType.Address => "address",
        IdentifierType.Fqdn => "fqdn",
        IdentifierType.UserFqdn => "user_fqdn",
        IdentifierType.KeyIdFile => "keyid",
        IdentifierType.KeyIdTag => "keyid tag",
        IdentifierType.Asn1Dn => "asn1dn",
        IdentifierType.Subnet => "subnet",
        _ => Type.ToString(),
    };

    public override string ToString() => Value is null ? Keyword
        : Type == IdentifierType.Address ? $"{Keyword} {Value}"
        : $"{Keyword} \"{Value}\"";
}
