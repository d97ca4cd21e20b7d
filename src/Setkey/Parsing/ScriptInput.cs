using KernelIpsec.Setkey.Parsing.Ast;
using Sprache;

namespace KernelIpsec.Setkey.Parsing;

/// <summary>
/// Sprache input over a script that also knows the file name, so every lexeme can carry
/// a full <see cref="SourcePosition"/>. Unlike Sprache's own <c>Input</c> it moves over a
/// whole word (and the blanks after it) in one step, creates its memo table only on demand
/// (the grammar never memoizes), and remembers the last word read at its position: the
/// grammar tries several readings of the same word (number or hex, which keyword, which
/// option), and a large script has tens of thousands of statements, so the lexer runs once
/// per word and allocates one input per word, not one per character.
/// </summary>
internal sealed class ScriptInput : IInput
{
    private IDictionary<object, object>? memos;

    /// <summary>The last lexer that read a word here, and what it read.</summary>
    private object? wordLexer;

    private IResult<Lexeme>? word;

    /// <summary>The last lexer that found no word of its kind here, and its failure.</summary>
    private object? noWordLexer;

    private IResult<Lexeme>? noWord;

    public ScriptInput(string source, string file)
        : this(source, file, 0, 1, 1)
    {
    }

    private ScriptInput(string source, string file, int position, int line, int column)
    {
        Source = source;
        File = file;
        Position = position;
        Line = line;
        Column = column;
    }

    public string File { get; }

    public string Source { get; }

    public int Position { get; }

    public int Line { get; }

    public int Column { get; }

    public bool AtEnd => Position >= Source.Length;

    public char Current => Source[Position];

    public IDictionary<object, object> Memos => memos ??= new Dictionary<object, object>();

    public SourcePosition SourcePosition => new(File, Line, Column);

    public IInput Advance() => AdvanceBy(1);

    /// <summary>The input <paramref name="count"/> characters further on, lines and columns counted.</summary>
    public ScriptInput AdvanceBy(int count)
    {
        if (count <= 0 || Position + count > Source.Length)
            throw new ArgumentOutOfRangeException(nameof(count), count, "The input cannot move that far.");
        var skipped = Source.AsSpan(Position, count);
        var lastNewline = skipped.LastIndexOf('\n');
        return lastNewline < 0
            ? new ScriptInput(Source, File, Position + count, Line, Column + count)
            : new ScriptInput(Source, File, Position + count, Line + skipped.Count('\n'), count - lastNewline);
    }

    /// <summary>What <paramref name="lexer"/> read here before, if it was the last to read (or to fail to read) here.</summary>
    public IResult<Lexeme>? CachedWord(object lexer) =>
        ReferenceEquals(wordLexer, lexer) ? word : ReferenceEquals(noWordLexer, lexer) ? noWord : null;

    public void CacheWord(object lexer, IResult<Lexeme> result)
    {
        if (result.WasSuccessful)
            (wordLexer, word) = (lexer, result);
        else
            (noWordLexer, noWord) = (lexer, result);
    }

    public bool Equals(IInput? other) => other != null && ReferenceEquals(Source, other.Source) && Position == other.Position;

    public override bool Equals(object? obj) => obj is IInput other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Source.Length, Position);

    public override string ToString() => $"{File},{Line}:{Column}";

    /// <summary>The script position of any Sprache input (ours carries the file name).</summary>
    public static SourcePosition PositionOf(IInput input) =>
        input is ScriptInput s ? s.SourcePosition : new SourcePosition("-", input.Line, input.Column);
}
