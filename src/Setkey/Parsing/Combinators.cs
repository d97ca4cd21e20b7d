using Sprache;

namespace KernelIpsec.Setkey.Parsing;

/// <summary>
/// Sprache's combinators, with the same meaning (the same values, failure positions and
/// expectations), that create fewer objects per step: Sprache's <c>SelectMany</c> builds a new
/// parser, two closures and a result for every step of a query, which made parsing a script of
/// tens of thousands of statements mostly allocation and garbage collection. Declared in the
/// grammar's namespace, so its query expressions and calls bind to these before Sprache's own.
/// The grammar's lexeme parsers never succeed without consuming input, so <see cref="XMany"/>
/// need not run its parser once more at the end as Sprache's does.
/// </summary>
internal static class Combinators
{
    public static Parser<U> Select<T, U>(this Parser<T> parser, Func<T, U> convert) => i =>
    {
        var r = parser(i);
        return r.WasSuccessful ? Result.Success(convert(r.Value), r.Remainder) : Failed<T, U>(r);
    };

    public static Parser<V> SelectMany<T, U, V>(this Parser<T> parser, Func<T, Parser<U>> selector, Func<T, U, V> projector) => i =>
    {
        var first = parser(i);
        if (!first.WasSuccessful)
            return Failed<T, V>(first);
        var second = selector(first.Value)(first.Remainder);
        return second.WasSuccessful ? Result.Success(projector(first.Value, second.Value), second.Remainder) : Failed<U, V>(second);
    };

    /// <summary>The first parser's result, else the second's; two failures give the one that got further (both: their expectations joined).</summary>
    public static Parser<T> Or<T>(this Parser<T> first, Parser<T> second) => i =>
    {
        var fr = first(i);
        if (fr.WasSuccessful)
            return fr.Remainder.Equals(i) ? OrEmpty(fr, second(i)) : fr;
        var sr = second(i);
        return sr.WasSuccessful ? sr : BestError(fr, sr);
    };

    /// <summary>As <see cref="Or{T}"/>, but a first parser that fails after consuming input fails the whole.</summary>
    public static Parser<T> XOr<T>(this Parser<T> first, Parser<T> second) => i =>
    {
        var fr = first(i);
        if (fr.WasSuccessful)
            return fr.Remainder.Equals(i) ? OrEmpty(fr, second(i)) : fr;
        if (!fr.Remainder.Equals(i))
            return fr;
        var sr = second(i);
        return sr.WasSuccessful ? sr : BestError(fr, sr);
    };

    /// <summary>A failure that consumed nothing expects <paramref name="name"/>.</summary>
    public static Parser<T> Named<T>(this Parser<T> parser, string name)
    {
        var expected = new[] { name };
        return i =>
        {
            var r = parser(i);
            return r.WasSuccessful || !r.Remainder.Equals(i) ? r : Result.Failure<T>(r.Remainder, r.Message, expected);
        };
    }

    /// <summary>The value, or nothing (at the same place) whenever the parser fails.</summary>
    public static Parser<IOption<T>> Optional<T>(this Parser<T> parser) => i =>
    {
        var r = parser(i);
        return r.WasSuccessful ? Result.Success(Present<T>.Of(r.Value), r.Remainder) : Result.Success(Absent<T>.Instance, i);
    };

    /// <summary>The value, or nothing when the parser fails without consuming input; a failure after consuming input fails.</summary>
    public static Parser<IOption<T>> XOptional<T>(this Parser<T> parser) => i =>
    {
        var r = parser(i);
        if (r.WasSuccessful)
            return Result.Success(Present<T>.Of(r.Value), r.Remainder);
        return r.Remainder.Equals(i) ? Result.Success(Absent<T>.Instance, i) : Failed<T, IOption<T>>(r);
    };

    /// <summary>As many values as the parser gives, until it fails (the failure is dropped).</summary>
    public static Parser<IEnumerable<T>> Many<T>(this Parser<T> parser) => i =>
    {
        var (values, remainder, _) = Repeat(parser, i);
        return Result.Success(values, remainder);
    };

    /// <summary>As <see cref="Many{T}"/>, but the failure that ends the run fails the whole if it consumed input.</summary>
    public static Parser<IEnumerable<T>> XMany<T>(this Parser<T> parser) => i =>
    {
        var (values, remainder, last) = Repeat(parser, i);
        return last.WasSuccessful || last.Remainder.Equals(remainder)
            ? Result.Success(values, remainder)
            : Failed<T, IEnumerable<T>>(last);
    };

    private static (IEnumerable<T> Values, IInput Remainder, IResult<T> Last) Repeat<T>(Parser<T> parser, IInput i)
    {
        List<T>? values = null;
        var remainder = i;
        var r = parser(remainder);
        while (r.WasSuccessful && !r.Remainder.Equals(remainder))
        {
            (values ??= []).Add(r.Value);
            remainder = r.Remainder;
            r = parser(remainder);
        }
        return (values ?? (IEnumerable<T>)Array.Empty<T>(), remainder, r);
    }

    /// <summary>A failure of one type passed on as a failure of another.</summary>
    public static IResult<U> Failed<T, U>(IResult<T> failure) => Result.Failure<U>(failure.Remainder, failure.Message, failure.Expectations);

    private static IResult<T> OrEmpty<T>(IResult<T> emptyFirst, IResult<T> second) => second.WasSuccessful ? second : emptyFirst;

    private static IResult<T> BestError<T>(IResult<T> first, IResult<T> second)
    {
        if (second.Remainder.Position > first.Remainder.Position)
            return second;
        if (second.Remainder.Position == first.Remainder.Position)
            return Result.Failure<T>(first.Remainder, first.Message, first.Expectations.Union(second.Expectations));
        return first;
    }

    private sealed class Present<T>(T value) : IOption<T>
    {
        public bool IsEmpty => false;

        public bool IsDefined => true;

        public static IOption<T> Of(T value) => new Present<T>(value);

        public T GetOrDefault() => value;

        public T Get() => value;
    }

    private sealed class Absent<T> : IOption<T>
    {
        public static readonly IOption<T> Instance = new Absent<T>();

        public bool IsEmpty => true;

        public bool IsDefined => false;

        public T GetOrDefault() => default!;

        public T Get() => throw new InvalidOperationException("Cannot get the value of an absent option.");
    }
}
