using Sprache;

namespace KernelIpsec.Keyd.Config;

/// <summary>What the grammar read, directive by directive, for <see cref="DirectiveSupport"/> to judge.</summary>
internal sealed partial class ConfTokens
{
    // The directives of the statement being read, by where they stand (a parser that backtracks records one twice).
    private readonly SortedDictionary<(int Line, int Column), DirectiveUse> written = [];

    /// <summary>Notes a directive read in <paramref name="context"/> (a grammar context, e.g. "remote section") for <see cref="DirectiveSupport"/>.</summary>
    public void Wrote(string context, string directive, IInput at, IInput valueStart)
    {
        written[(at.Line, at.Column)] = new DirectiveUse(DirectiveSupport.SectionOf(context), directive, Words(valueStart), At(at));
    }

    /// <summary>The words of a statement up to its `;` or `{`, quoted strings and comments left out.</summary>
    private static List<string> Words(IInput input)
    {
        var words = new List<string>();
        while (!input.AtEnd && input.Current is not (';' or '{'))
        {
            if (input.Current == '"')
            {
                input = input.Advance();
                while (!input.AtEnd && input.Current != '"')
                    input = input.Advance();
                if (!input.AtEnd)
                    input = input.Advance();
            }
            else if (input.Current == '#')
            {
                input = SkipBlanks(input);
            }
            else if (IsWordChar(input.Current))
            {
                words.Add(ReadWhile(input, IsWordChar, out input));
            }
            else
            {
                input = input.Advance();
            }
        }
        return words;
    }

    /// <summary>The directives noted since the last call, in the order written.</summary>
    public IReadOnlyList<DirectiveUse> TakeWritten()
    {
        var uses = written.Values.ToList();
        written.Clear();
        return uses;
    }
}
