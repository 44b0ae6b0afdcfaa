using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CreditBank.TestSupport;

/// <summary>
/// Keeps every log line the test hosts write, so tests can assert on what was (and was not) logged — and appends them
/// to <c>$CREDITBANK_TEST_LOG</c> when set, for the whole-run check that no document number is logged in clear.
/// </summary>
public static class TestLog
{
    private static readonly ConcurrentQueue<string> Lines = new();
    private static readonly string? File = Environment.GetEnvironmentVariable("CREDITBANK_TEST_LOG");
    private static readonly Lock FileLock = new();

    public static ILoggerProvider Provider { get; } = new LineProvider(null);

    public static IReadOnlyCollection<string> All => Lines;

    /// <summary>A provider that also keeps what one host writes in <paramref name="own"/>, apart from every other host's lines.</summary>
    public static ILoggerProvider For(ConcurrentQueue<string> own) => new LineProvider(own);

    private static void Write(string line, ConcurrentQueue<string>? own)
    {
        Lines.Enqueue(line);
        own?.Enqueue(line);
        if (File is not null)
        {
            lock (FileLock)
            {
                System.IO.File.AppendAllText(File, line + Environment.NewLine);
            }
        }
    }

    private sealed class LineProvider(ConcurrentQueue<string>? own) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new LineLogger(categoryName, own);

        public void Dispose()
        {
        }
    }

    private sealed class LineLogger(string category, ConcurrentQueue<string>? own) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Write($"{logLevel} {category}[{eventId.Id}] {formatter(state, exception)}{(exception is null ? string.Empty : " " + exception)}", own);
            }
        }
    }
}
