namespace CreditBank.TestSupport;

/// <summary>Waits for the effect of an eventually consistent story (a row, a balance), not for a message to be "consumed".</summary>
public static class Eventually
{
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        var last = await probe();
        while (!done(last))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up waiting for {what ?? "the expected state"}; last seen: {last}");
            }

            await Task.Delay(50);
            last = await probe();
        }

        return last;
    }
}
