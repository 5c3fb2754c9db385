namespace Jobs.Tests;

public sealed class RetryBackoffTests
{
    [Fact]
    public void GetDelay_SuccessiveFailures_GrowByFactorWithinJitterAndCap()
    {
        var backoff = new RetryBackoff { BaseDelay = TimeSpan.FromSeconds(1), Factor = 2, Jitter = 0.2, MaxDelay = TimeSpan.FromSeconds(10) };
        var random = new Random(7);

        for (var i = 0; i < 200; i++)
        {
            Assert.InRange(backoff.GetDelay(1, random).TotalMilliseconds, 800, 1200);
            Assert.InRange(backoff.GetDelay(3, random).TotalMilliseconds, 3200, 4800);
            Assert.InRange(backoff.GetDelay(30, random).TotalMilliseconds, 8000, 10_000);
        }
    }

    [Fact]
    public void GetDelay_NoJitter_IsExact()
    {
        var backoff = new RetryBackoff { BaseDelay = TimeSpan.FromMilliseconds(100), Factor = 3, Jitter = 0 };

        Assert.Equal(TimeSpan.FromMilliseconds(900), backoff.GetDelay(3, new Random(1)));
    }
}
