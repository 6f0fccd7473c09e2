/**
 * API: framing. {@link dev.sluice.codec.FrameCodec} cuts inbound bytes into frames and writes outbound headers; the
 * default is {@link dev.sluice.codec.LengthPrefixedFrameCodec}, and a codec may mark frames as fragments of one
 * message ({@link dev.sluice.codec.FragmentingFrameCodec}). Codecs are called on loop threads and must not allocate.
 */
package dev.sluice.codec;
