using Zk0.Datasets.Frames;

namespace Zk0.Tests.Datasets.Frames;

public class BufferPoolTests
{
    [Fact]
    public void ARentedArrayIsNotHandedOutAgainUntilItsOwnerReturnsIt()
    {
        var pool = new BufferPool<byte>();

        var first = pool.Rent(1000);
        var second = pool.Rent(1000);
        pool.Return(first);
        var third = pool.Rent(1000);
        var otherLength = pool.Rent(500);

        Assert.NotSame(first, second);
        Assert.Same(first, third);
        Assert.NotSame(second, third);
        Assert.Equal(500, otherLength.Length);
        Assert.Equal(3, pool.RentedCount);
    }

    [Fact]
    public void ReturningAnArrayTwiceOrOneThePoolDidNotRentIsAnError()
    {
        var pool = new BufferPool<float>();
        var rented = pool.Rent(16);
        pool.Return(rented);

        var twice = Assert.Throws<InvalidOperationException>(() => pool.Return(rented));
        var foreign = Assert.Throws<InvalidOperationException>(() => pool.Return(new float[16]));

        Assert.Contains("already returned", twice.Message);
        Assert.Contains("not rented from this pool", foreign.Message);
        Assert.Equal(1, pool.RetainedCount);
        Assert.Equal(0, pool.RentedCount);
    }

    [Fact]
    public void ReturnedArraysBeyondTheRetentionLimitAreLeftToTheCollector()
    {
        var pool = new BufferPool<float>(maxRetainedBytes: 100);
        var a = pool.Rent(15);
        var b = pool.Rent(15);

        pool.Return(a);
        pool.Return(b);

        Assert.Equal(1, pool.RetainedCount);
        Assert.Same(a, pool.Rent(15));
        Assert.NotSame(b, pool.Rent(15));
    }
}
