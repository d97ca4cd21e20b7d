namespace KernelIpsec.Setkey.Parsing.Ast;

/// <summary>
/// <c>spdadd|spdupdate|spddelete [opts] src_range dst_range upperspec [upper_misc] [-ctx …] -P policy;</c>
/// </summary>
public sealed record PolicyCommand(
    Lexeme Keyword,
    PolicyOperation Operation,
    AddressOptions Options,
    SelectorSpec Source,
    SelectorSpec Destination,
    Lexeme UpperProtocol,
    Lexeme? UpperMisc,
    SecurityContextSpec? Context,
    PolicySpec Policy) : ScriptCommand(Keyword);
