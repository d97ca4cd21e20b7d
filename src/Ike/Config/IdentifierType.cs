namespace KernelIpsec.Ike.Config;

/// <summary>The identifier kinds of `my_identifier`, `peers_identifier` and sainfo `from`.</summary>
public enum IdentifierType
{
    /// <summary>`address [ADDR]`: an IP address (our own address when no value is given).</summary>
    Address,
    /// <summary>`fqdn "name"`.</summary>
    Fqdn,
    /// <summary>`user_fqdn "user@name"`.</summary>
    UserFqdn,
    /// <summary>`keyid [file] "path"`: the key id is the content of a file.</summary>
    KeyIdFile,
    /// <summary>`keyid tag "string"`: the key id is the string itself.</summary>
    KeyIdTag,
    /// <summary>`asn1dn ["DN"]`: a distinguished name (the certificate subject when no value is given).</summary>
    Asn1Dn,
    /// <summary>`subnet`: lexed by racoon but never produces a usable identifier.</summary>
    Subnet,
}
