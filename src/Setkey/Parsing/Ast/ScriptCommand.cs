namespace KernelIpsec.Setkey.Parsing.Ast;

/// <summary>One `;`-terminated statement of a setkey script, as written.</summary>
public abstract record ScriptCommand(Lexeme Keyword)
{
    public SourcePosition Position => Keyword.Position;
}
