using static TorchSharp.torch;

namespace Zk0.Tests.Policy.Abstractions;

public sealed class ReproducibleMathTests
{
    [Fact]
    public void A_matrix_product_has_the_same_bits_wherever_its_operand_sits_in_memory()
    {
        // Without a reproducible MKL branch, 12 of these 90 products changed in their last bits.
        using var generator = new Generator(1);
        var moved = new List<string>();
        foreach (var (m, k, n) in new[] { (8, 37, 19), (33, 129, 65), (50, 300, 7), (1, 1000, 3), (16, 512, 512), (7, 61, 1) })
        {
            using var left = randn(m, k, generator: generator);
            using var right = randn(k, n, generator: generator);
            using var product = left.matmul(right);
            var expected = product.data<float>().ToArray();
            for (var offset = 1; offset < 16; offset++)
            {
                using var storage = zeros(m * k + offset);
                using var window = storage.narrow(0, offset, m * k);
                using var shifted = window.view(m, k);
                shifted.copy_(left);
                using var shiftedProduct = shifted.matmul(right);
                if (!shiftedProduct.data<float>().ToArray().SequenceEqual(expected)) moved.Add($"{m}x{k}·{k}x{n} at +{offset} floats");
            }
        }

        Assert.Empty(moved);
    }
}
