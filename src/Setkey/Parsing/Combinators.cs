using Sprache;

namespace KernelIpsec.Setkey.Parsing;

/// <summary>
/// Sprache's combinators, with the same meaning (the same values, failure positions and
/// expectations), that create fewer objects per step, and <c>Sequence</c> in place of query
/// expressions: Sprache's <c>SelectMany</c> builds a new parser, two closures and a result for
/// every step of a query, which made parsing a script of tens of thousands of statements mostly
/// allocation and garbage collection. Declared in the grammar's namespace, so the grammar's calls
/// bind to these before Sprache's own. The grammar's lexeme parsers never succeed without
/// consuming input, so <see cref="XMany"/> need not run its parser once more at the end as
/// Sprache's does.
/// </summary>
internal static class Combinators
{
    public static Parser<U> Select<T, U>(this Parser<T> parser, Func<T, U> convert) => i =>
    {
        var r = parser(i);
        return r.WasSuccessful ? Result.Success(convert(r.Value), r.Remainder) : Failed<T, U>(r);
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

    /// <summary>The value, or nothing when the parser fails without consuming input; a failure after consuming input fails.</summary>
    public static Parser<IOption<T>> XOptional<T>(this Parser<T> parser) => i =>
    {
        var r = parser(i);
        if (r.WasSuccessful)
            return Result.Success(Present<T>.Of(r.Value), r.Remainder);
        return r.Remainder.Equals(i) ? Result.Success(Absent<T>.Instance, i) : Failed<T, IOption<T>>(r);
    };

    /// <summary>As <see cref="XOptional{T}"/>, with null for nothing instead of an option object.</summary>
    public static Parser<T?> XOptionalOrNull<T>(this Parser<T> parser)
        where T : class => i =>
    {
        var r = parser(i);
        return r.WasSuccessful || !r.Remainder.Equals(i) ? r : Result.Success<T?>(null, i);
    };

    /// <summary>The value, or null (at the same place) whenever the parser fails (Sprache's <c>Optional</c> without an option object).</summary>
    public static Parser<T?> OptionalOrNull<T>(this Parser<T> parser)
        where T : class => i =>
    {
        var r = parser(i);
        return r.WasSuccessful ? r : Result.Success<T?>(null, i);
    };

    // Sequence: the parsers one after another, their values combined by one function; the first
    // failure fails the whole. The same as a query expression over them, without the intermediate
    // result and the object carrying the values read so far that each `from` costs.

    public static Parser<TResult> Sequence<T1, T2, TResult>(Parser<T1> p1, Parser<T2> p2, Func<T1, T2, TResult> combine) =>
        i => Step(p1, ref i, out var v1, out var stop) && Step(p2, ref i, out var v2, out stop)
            ? Result.Success(combine(v1, v2), i) : stop.As<TResult>();

    public static Parser<TResult> Sequence<T1, T2, T3, TResult>(Parser<T1> p1, Parser<T2> p2, Parser<T3> p3, Func<T1, T2, T3, TResult> combine) =>
        i => Step(p1, ref i, out var v1, out var stop) && Step(p2, ref i, out var v2, out stop) && Step(p3, ref i, out var v3, out stop)
            ? Result.Success(combine(v1, v2, v3), i) : stop.As<TResult>();

    public static Parser<TResult> Sequence<T1, T2, T3, T4, TResult>(Parser<T1> p1, Parser<T2> p2, Parser<T3> p3, Parser<T4> p4, Func<T1, T2, T3, T4, TResult> combine) =>
        i => Step(p1, ref i, out var v1, out var stop) && Step(p2, ref i, out var v2, out stop) && Step(p3, ref i, out var v3, out stop) && Step(p4, ref i, out var v4, out stop)
            ? Result.Success(combine(v1, v2, v3, v4), i) : stop.As<TResult>();

    public static Parser<TResult> Sequence<T1, T2, T3, T4, T5, TResult>(Parser<T1> p1, Parser<T2> p2, Parser<T3> p3, Parser<T4> p4, Parser<T5> p5, Func<T1, T2, T3, T4, T5, TResult> combine) =>
        i => Step(p1, ref i, out var v1, out var stop) && Step(p2, ref i, out var v2, out stop) && Step(p3, ref i, out var v3, out stop) && Step(p4, ref i, out var v4, out stop) && Step(p5, ref i, out var v5, out stop)
            ? Result.Success(combine(v1, v2, v3, v4, v5), i) : stop.As<TResult>();

    public static Parser<TResult> Sequence<T1, T2, T3, T4, T5, T6, TResult>(Parser<T1> p1, Parser<T2> p2, Parser<T3> p3, Parser<T4> p4, Parser<T5> p5, Parser<T6> p6, Func<T1, T2, T3, T4, T5, T6, TResult> combine) =>
        i => Step(p1, ref i, out var v1, out var stop) && Step(p2, ref i, out var v2, out stop) && Step(p3, ref i, out var v3, out stop) && Step(p4, ref i, out var v4, out stop) && Step(p5, ref i, out var v5, out stop) && Step(p6, ref i, out var v6, out stop)
            ? Result.Success(combine(v1, v2, v3, v4, v5, v6), i) : stop.As<TResult>();

    public static Parser<TResult> Sequence<T1, T2, T3, T4, T5, T6, T7, TResult>(Parser<T1> p1, Parser<T2> p2, Parser<T3> p3, Parser<T4> p4, Parser<T5> p5, Parser<T6> p6, Parser<T7> p7, Func<T1, T2, T3, T4, T5, T6, T7, TResult> combine) =>
        i => Step(p1, ref i, out var v1, out var stop) && Step(p2, ref i, out var v2, out stop) && Step(p3, ref i, out var v3, out stop) && Step(p4, ref i, out var v4, out stop) && Step(p5, ref i, out var v5, out stop) && Step(p6, ref i, out var v6, out stop) && Step(p7, ref i, out var v7, out stop)
            ? Result.Success(combine(v1, v2, v3, v4, v5, v6, v7), i) : stop.As<TResult>();

    public static Parser<TResult> Sequence<T1, T2, T3, T4, T5, T6, T7, T8, TResult>(Parser<T1> p1, Parser<T2> p2, Parser<T3> p3, Parser<T4> p4, Parser<T5> p5, Parser<T6> p6, Parser<T7> p7, Parser<T8> p8, Func<T1, T2, T3, T4, T5, T6, T7, T8, TResult> combine) =>
        i => Step(p1, ref i, out var v1, out var stop) && Step(p2, ref i, out var v2, out stop) && Step(p3, ref i, out var v3, out stop) && Step(p4, ref i, out var v4, out stop) && Step(p5, ref i, out var v5, out stop) && Step(p6, ref i, out var v6, out stop) && Step(p7, ref i, out var v7, out stop) && Step(p8, ref i, out var v8, out stop)
            ? Result.Success(combine(v1, v2, v3, v4, v5, v6, v7, v8), i) : stop.As<TResult>();

    public static Parser<TResult> Sequence<T1, T2, T3, T4, T5, T6, T7, T8, T9, TResult>(Parser<T1> p1, Parser<T2> p2, Parser<T3> p3, Parser<T4> p4, Parser<T5> p5, Parser<T6> p6, Parser<T7> p7, Parser<T8> p8, Parser<T9> p9, Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, TResult> combine) =>
        i => Step(p1, ref i, out var v1, out var stop) && Step(p2, ref i, out var v2, out stop) && Step(p3, ref i, out var v3, out stop) && Step(p4, ref i, out var v4, out stop) && Step(p5, ref i, out var v5, out stop) && Step(p6, ref i, out var v6, out stop) && Step(p7, ref i, out var v7, out stop) && Step(p8, ref i, out var v8, out stop) && Step(p9, ref i, out var v9, out stop)
            ? Result.Success(combine(v1, v2, v3, v4, v5, v6, v7, v8, v9), i) : stop.As<TResult>();

    /// <summary>One parser of a sequence: moves the input on, or says where and why the sequence stopped.</summary>
    private static bool Step<T>(Parser<T> parser, ref IInput input, out T value, out Stop stop)
    {
        var r = parser(input);
        stop = r.WasSuccessful ? default : new Stop(r, r.Remainder, r.Message, r.Expectations);
        value = r.WasSuccessful ? r.Value : default!;
        if (r.WasSuccessful)
            input = r.Remainder;
        return r.WasSuccessful;
    }

    /// <summary>The failure that stopped a sequence, whatever its parser's type.</summary>
    private readonly record struct Stop(object Failure, IInput Remainder, string Message, IEnumerable<string> Expectations)
    {
        public IResult<T> As<T>() => Failure as IResult<T> ?? Result.Failure<T>(Remainder, Message, Expectations);
    }

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

    /// <summary>
    /// A failure of one type passed on as a failure of another: the same object when the result
    /// types allow it (results are covariant, and a failure has no value), else a copy.
    /// </summary>
    public static IResult<U> Failed<T, U>(IResult<T> failure) =>
        failure as IResult<U> ?? Result.Failure<U>(failure.Remainder, failure.Message, failure.Expectations);

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
