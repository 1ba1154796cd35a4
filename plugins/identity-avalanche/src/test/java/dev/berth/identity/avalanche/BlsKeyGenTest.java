package dev.berth.identity.avalanche;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class BlsKeyGenTest {
    /**
     * EIP-2333 test case 0: derive_master_SK(seed) is HKDF_mod_r(seed) with empty key_info,
     * the same computation as KeyGen in draft-irtf-cfrg-bls-signature-04+ (blst's KeyGen).
     * Seed and master_SK as published in EIP-2333 and repeated in independent EIP-2333 test
     * suites found with the search tool (a Python SDK's EIP2333TestCase.test_case_0 and a
     * TypeScript eip2333 spec).
     */
    @Test
    void keyGenMatchesEip2333MasterKeyVector() {
        var seed = HexFormat.of().parseHex("c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e5349553"
                + "1f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04");
        var sk = BlsKeyGen.keyGen(seed);
        assertEquals(32, sk.length);
        assertEquals(new BigInteger("6083874454709270928345386274498605044986640685124978867557563392430687146096"),
                new BigInteger(1, sk));
    }

    @Test
    void secretKeysOutsideOneToROrOfTheWrongLengthAreInvalid() {
        assertFalse(BlsKeyGen.isValidSecretKey(new byte[32]));
        assertFalse(BlsKeyGen.isValidSecretKey(new byte[31]));
        var r = BlsKeyGen.R.toByteArray(); // 32 bytes, top bit clear
        assertFalse(BlsKeyGen.isValidSecretKey(r));
        var belowR = BlsKeyGen.R.subtract(BigInteger.ONE).toByteArray();
        assertTrue(BlsKeyGen.isValidSecretKey(belowR));
    }
}
