namespace KernelIpsec.Setkey.Parsing.Ast;

/// <summary>The statements that name one SA by (src, dst, protocol, spi).</summary>
public enum SaOperation
{
    Add,
    Update,
    Get,
    Delete,
    GetSpi,
}
