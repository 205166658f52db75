<?php
/** WorkOS\Native\ClientIp through PHP: the Rust side is crates/workos-core/src/client_ip.rs. */

/** check(), same(), throws(), finish(): assertions that need only PHP and the extension. */
require __DIR__ . '/assert.php';

use WorkOS\Native\ClientIp;
use WorkOS\Native\InvalidArgumentException;

same( '198.51.100.7', ClientIp::resolve( '198.51.100.7', '203.0.113.1' ), 'no trusted proxies: the header is ignored' );
same( '198.51.100.7', ClientIp::resolve( '198.51.100.7', '203.0.113.1', array( '10.0.0.0/8' ) ), 'untrusted remote' );
same( '203.0.113.1', ClientIp::resolve( '10.0.0.5', '6.6.6.6, 203.0.113.1', array( '10.0.0.0/8' ) ), 'rightmost untrusted hop' );
same( '203.0.113.1', ClientIp::resolve( remoteAddr: '::1', forwardedFor: '203.0.113.1', trustedProxies: array( '::1' ) ), 'named arguments' );
same( array( '10.0.0.0/8', '127.0.0.1/32' ), ClientIp::normalizeProxies( array( '10.0.0.0/8', ' 127.0.0.1 ' ) ), 'canonical list' );
throws( InvalidArgumentException::class, fn() => ClientIp::normalizeProxies( array( '10.0.0.0/99' ) ), 'bad CIDR' );
throws( InvalidArgumentException::class, fn() => ClientIp::resolve( 'nonsense' ), 'bad remote address' );
throws( InvalidArgumentException::class, fn() => ClientIp::resolve( '127.0.0.1', '', array( 'x' ) ), 'bad proxy entry' );

finish();
