using Sprache;

namespace KernelIpsec.Setkey.Parsing;

/// <summary>
/// Sprache input over a script that also knows the file name, so every lexeme can carry
/// a full <see cref="SourcePosition"/>. Unlike Sprache's own <c>Input</c> it creates its memo
/// table only on demand: the grammar never memoizes, and a dictionary per character made
/// large scripts (tens of thousands of commands) allocation-bound.
/// </summary>
internal sealed class ScriptInput : IInput
{
    private IDictionary<object, object>? memos;

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

    public IInput Advance()
    {
        if (AtEnd)
            throw new InvalidOperationException("The input is already at the end of the source.");
        return Current == '\n'
            ? new ScriptInput(Source, File, Position + 1, Line + 1, 1)
            : new ScriptInput(Source, File, Position + 1, Line, Column + 1);
    }

    public bool Equals(IInput? other) => other != null && ReferenceEquals(Source, other.Source) && Position == other.Position;

    public override bool Equals(object? obj) => obj is IInput other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Source.Length, Position);

    public override string ToString() => $"{File},{Line}:{Column}";

    /// <summary>The script position of any Sprache input (ours carries the file name).</summary>
    public static SourcePosition PositionOf(IInput input) =>
        input is ScriptInput s ? s.SourcePosition : new SourcePosition("-", input.Line, input.Column);
}
