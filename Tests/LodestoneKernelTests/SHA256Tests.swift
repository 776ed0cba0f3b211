import Testing

@testable import LodestoneKernel

@Suite("SHA-256 and content hashes")
struct SHA256Tests {
    @Test("the FIPS 180-4 example vectors")
    func vectors() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // A million "a"s: many blocks.
        #expect(
            SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // Lengths around the padding boundary (55, 56, 64 bytes) agree with the reference.
        #expect(SHA256.hex(String(repeating: "a", count: 55)) == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
        #expect(SHA256.hex(String(repeating: "a", count: 56)) == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
        #expect(SHA256.hex(String(repeating: "a", count: 64)) == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb")
    }

    @Test("a dataset's content hash depends on its rows, not its name")
    func datasetHash() {
        let dataset = Dataset(
            name: "one", regions: [Region(code: "JP", name: "Japan")],
            commodities: [Commodity(code: "DyTb", name: "Dysprosium-terbium", priceUSDPerKilogram: 370, source: "s")],
            consumption: [], flows: [], capacities: [], stockpiles: [], sources: [Citation(id: "s", citation: "A source", url: "")])
        var renamed = dataset
        renamed.name = "two"
        renamed.description = "another description"
        #expect(dataset.contentHash == renamed.contentHash)
        #expect(dataset.contentHash.hasPrefix("sha256:") && dataset.contentHash.count == 7 + 64)
        #expect(dataset.contentHash == "sha256:" + SHA256.hex(dataset.canonicalText))
        var changed = dataset
        changed.commodities[0].priceUSDPerKilogram = 370.5
        #expect(changed.contentHash != dataset.contentHash)
        #expect(dataset.canonicalText.contains("\n# commodities\n\"DyTb\",\"Dysprosium-terbium\",370.0,\"s\"\n"))
    }
}
