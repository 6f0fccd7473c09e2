package dev.sluice.config;

import java.net.InetAddress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Address ranges, filters and the per-address limit of {@link AdmissionConfig}. */
class AdmissionConfigTest
{
    @ParameterizedTest(name = "{1} in {0}: {2}")
    @CsvSource({
        "10.0.0.0/8, 10.200.3.4, true", "10.0.0.0/8, 11.0.0.1, false",
        "192.168.1.0/24, 192.168.1.255, true", "192.168.1.0/24, 192.168.2.1, false",
        "192.168.1.7, 192.168.1.7, true", "192.168.1.7, 192.168.1.8, false",
        "172.16.0.0/12, 172.31.255.255, true", "172.16.0.0/12, 172.32.0.0, false",
        "0.0.0.0/0, 8.8.8.8, true", "0.0.0.0/0, ::1, false",
        "fd00::/8, fd12:3456::1, true", "fd00::/8, fe80::1, false", "::1, ::1, true", "::1/128, 127.0.0.1, false"})
    void anAddressIsAdmittedOnlyInsideAnAllowedRange(final String range, final String address, final boolean in)
        throws Exception
    {
        final AdmissionConfig admission = AdmissionConfig.builder().allow(range).build();
        assertEquals(in, admission.admits(InetAddress.getByName(address)));
        assertFalse(admission.admitsAll());
    }

    @Test
    void rangesAndTheFilterMustBothAdmit() throws Exception
    {
        final InetAddress blocked = InetAddress.getByName("10.0.0.66");
        final AdmissionConfig admission = AdmissionConfig.builder().allow("10.0.0.0/24", "127.0.0.1")
            .filter(address -> !address.equals(blocked)).build();
        assertTrue(admission.admits(InetAddress.getByName("10.0.0.1")));
        assertTrue(admission.admits(InetAddress.getByName("127.0.0.1")));
        assertFalse(admission.admits(blocked), "inside a range, refused by the filter");
        assertFalse(admission.admits(InetAddress.getByName("10.0.1.1")), "outside the ranges");
    }

    @Test
    void theDefaultAdmitsEveryoneWithoutALimit() throws Exception
    {
        final AdmissionConfig admission = EngineConfig.builder().build().admission();
        assertTrue(admission.admitsAll());
        assertTrue(admission.admits(InetAddress.getByName("203.0.113.9")));
        assertEquals(0, admission.maxConnectionsPerAddress());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "::1/129", "10.0.0.0/-1", "10.0.0.0/x", "example.com", "10.0.0/8x", ""})
    void aRangeThatIsNotOneIsRefused(final String range)
    {
        assertThrows(IllegalArgumentException.class, () -> AdmissionConfig.builder().allow(range));
    }

    @Test
    void aNegativeLimitIsRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> AdmissionConfig.builder().maxConnectionsPerAddress(-1));
    }
}
