namespace KernelIpsec.Netlink.Model.Algorithms;

/// <summary>Which slot of an SA an algorithm fills.</summary>
public enum AlgorithmKind
{
    /// <summary>ESP cipher (setkey <c>-E</c>; XFRM <c>XFRMA_ALG_CRYPT</c>).</summary>
    Encryption,

    /// <summary>Integrity for ESP or AH (setkey <c>-A</c>; XFRM <c>XFRMA_ALG_AUTH_TRUNC</c>).</summary>
    Authentication,

    /// <summary>Combined-mode ESP cipher (XFRM <c>XFRMA_ALG_AEAD</c>); setkey 0.8.2 cannot name these.</summary>
    Aead,

    /// <summary>IPComp (setkey <c>-C</c>; XFRM <c>XFRMA_ALG_COMP</c>).</summary>
    Compression,
}
