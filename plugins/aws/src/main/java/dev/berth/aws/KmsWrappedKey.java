package dev.berth.aws;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * A data key as KMS wrapped it, with the ARN of the key that wrapped it (GenerateDataKey's
 * KeyId), so that it is decrypted with that key even after the alias it was made with points
 * elsewhere. Stored as {@code "BK1\0"}, the ARN's length (2 bytes) and UTF-8 bytes, then
 * KMS's ciphertext blob. A blob without that prefix (a backup made before the ARN was kept)
 * is read as the ciphertext alone.
 */
record KmsWrappedKey(Optional<String> keyArn, byte[] ciphertext) {
    private static final byte[] MAGIC = {'B', 'K', '1', 0};

    KmsWrappedKey {
        ciphertext = ciphertext.clone();
    }

    byte[] encode() {
        var arn = keyArn.orElseThrow().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(MAGIC.length + 2 + arn.length + ciphertext.length).put(MAGIC)
                .putShort((short) arn.length).put(arn).put(ciphertext).array();
    }

    static KmsWrappedKey decode(byte[] stored) {
        if (stored.length > MAGIC.length + 2 && Arrays.equals(stored, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            var in = ByteBuffer.wrap(stored, MAGIC.length, stored.length - MAGIC.length);
            int length = Short.toUnsignedInt(in.getShort());
            if (length > 0 && length <= in.remaining()) {
                var arn = new byte[length];
                in.get(arn);
                var blob = new byte[in.remaining()];
                in.get(blob);
                return new KmsWrappedKey(Optional.of(new String(arn, StandardCharsets.UTF_8)), blob);
            }
        }
        return new KmsWrappedKey(Optional.empty(), stored);
    }
}
