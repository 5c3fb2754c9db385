using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Testing;

/// <summary>docs/testing.md shows the example tests that run here, verbatim.</summary>
public sealed class TestingDocsTests
{
    [Fact]
    public void TestingDocs_ExampleBlock_IsTheExampleTestFile()
    {
        var example = RepositoryFiles.Between(
            RepositoryFiles.Read("tests/unit/Testing/TestingKitExampleTests.cs"), "// docs/testing.md:start\n", "// docs/testing.md:end");
        var docs = RepositoryFiles.Read("docs/testing.md");

        Assert.Contains("```csharp\n" + example + "```\n", docs, StringComparison.Ordinal);
    }
}
