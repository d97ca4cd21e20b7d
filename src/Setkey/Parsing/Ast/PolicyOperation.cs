namespace KernelIpsec.Setkey.Parsing.Ast;

/// <summary>spdadd, spdupdate, spddelete.</summary>
public enum PolicyOperation
{
    Add,
    Update,
    Delete,
}
