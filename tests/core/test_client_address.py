"""The client address the rate limits count under, with and without trusted proxies."""

import pytest
from django.test import RequestFactory

from convene.core.client_address import client_address


def _request(remote="10.0.0.9", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_client_address_is_the_peer_when_proxies_are_not_trusted(settings):
    settings.TRUST_X_FORWARDED_FOR = False

    assert client_address(_request(forwarded="198.51.100.7")) == "10.0.0.9"


def test_client_address_is_the_entry_the_one_trusted_proxy_appended(settings):
    settings.TRUST_X_FORWARDED_FOR = True
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_address(_request(forwarded="203.0.113.5, 198.51.100.7")) == "198.51.100.7"


def test_client_address_ignores_spoofed_entries_to_the_left(settings):
    settings.TRUST_X_FORWARDED_FOR = True
    settings.TRUSTED_PROXY_COUNT = 2

    address = client_address(_request(forwarded="1.2.3.4, 5.6.7.8, 198.51.100.7, 10.0.0.2"))

    assert address == "198.51.100.7"


@pytest.mark.parametrize(
    "forwarded",
    [None, "", " , ", "not-an-address", "198.51.100.7 garbage", "<script>", "999.1.1.1"],
)
def test_client_address_falls_back_to_the_peer_on_a_bad_header(settings, forwarded):
    settings.TRUST_X_FORWARDED_FOR = True
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_address(_request(forwarded=forwarded)) == "10.0.0.9"


def test_client_address_falls_back_when_fewer_entries_than_proxies(settings):
    settings.TRUST_X_FORWARDED_FOR = True
    settings.TRUSTED_PROXY_COUNT = 2

    assert client_address(_request(forwarded="198.51.100.7")) == "10.0.0.9"


def test_client_address_normalises_ipv6(settings):
    settings.TRUST_X_FORWARDED_FOR = True
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_address(_request(forwarded="2001:DB8:0:0::1")) == "2001:db8::1"
