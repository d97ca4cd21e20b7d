using KernelIpsec.Setkey.Parsing.Ast;

namespace KernelIpsec.Setkey.Parsing;

/// <summary>The statements of a script and the syntax errors found in it (in script order).</summary>
public sealed record ParsedScript(string File, IReadOnlyList<ScriptCommand> Commands, IReadOnlyList<SetkeyScriptException> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}
