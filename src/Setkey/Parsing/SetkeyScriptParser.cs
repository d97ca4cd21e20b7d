using KernelIpsec.Setkey.Parsing.Ast;
using Sprache;

namespace KernelIpsec.Setkey.Parsing;

/// <summary>
/// Reads a whole script into statements before anything is applied. A statement that does not
/// parse is reported with its position and what was expected there; parsing then resumes after
/// that statement's <c>;</c> so one run reports every bad statement. <c>exit;</c> ends the
/// script: what follows it is not read (as in setkey).
/// </summary>
public static class SetkeyScriptParser
{
    public static ParsedScript Parse(string text, string file)
    {
        // Every statement ends in `;', so this is the statement count (or a little more): the list of a
        // large script is then allocated once instead of growing through large-object-heap copies.
        var commands = new List<ScriptCommand>(text.AsSpan().Count(';'));
        var errors = new List<SetkeyScriptException>();
        var input = SetkeyLexicon.Trivia(new ScriptInput(text, file)).Remainder;
        while (!input.AtEnd)
        {
            var result = SetkeyGrammar.Statement(input);
            if (result.WasSuccessful)
            {
                commands.Add(result.Value);
                input = result.Remainder;
                if (result.Value is ExitCommand)
                    break;
                continue;
            }
            errors.Add(SyntaxError(result.Remainder, result.Expectations));
            input = SetkeyLexicon.Trivia(SkipStatement(input)).Remainder;
        }
        return new ParsedScript(file, commands, errors);
    }

    private static SetkeyScriptException SyntaxError(IInput at, IEnumerable<string> expectations)
    {
        var expected = expectations.Distinct().ToList();
        return new SetkeyScriptException(
            ScriptInput.PositionOf(at),
            "syntax error",
            SetkeyLexicon.WordAt(at.Source, at.Position),
            expected.Count == 0 ? null : Describe(expected));
    }

    private static string Describe(List<string> expected) => expected.Count switch
    {
        1 => expected[0],
        _ => string.Join(", ", expected.Take(expected.Count - 1)) + " or " + expected[^1],
    };

    /// <summary>Moves past the next <c>;</c> that is not inside quotes or a comment (in one step).</summary>
    private static IInput SkipStatement(IInput input)
    {
        var source = input.Source;
        var p = input.Position;
        var inQuotes = false;
        var inComment = false;
        while (p < source.Length)
        {
            var c = source[p++];
            if (inComment)
                inComment = c != '\n';
            else if (inQuotes)
                inQuotes = c != '"';
            else if (c == '"')
                inQuotes = true;
            else if (c == '#')
                inComment = true;
            else if (c == ';')
                break;
        }
        return p == input.Position ? input : ((ScriptInput)input).AdvanceBy(p - input.Position);
    }
}
