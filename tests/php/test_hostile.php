<?php
/**
 * Hostile input against every exported WorkOS\Native function and method.
 *
 * Classes, methods and functions are enumerated by reflection, so whatever
 * the extension exports later is covered too. Each is called with random and
 * hostile values — wrong types, huge strings, invalid UTF-8, NUL bytes,
 * nested and self-referencing arrays, extreme numbers, objects, resources —
 * and may only:
 *   - return, or
 *   - throw a WorkOS\Native\Exception (not one reporting a caught Rust
 *     panic: a panic is a bug even when it is contained), or
 *   - throw PHP's own \TypeError / \ArgumentCountError for wrong PHP types.
 * Anything else (a plain \Error, a crash, a dead php-fpm worker: run.sh then
 * sees no "OK") fails. Seeded and bounded; WORKOS_FUZZ_SEED=<n> replays a run.
 */

/** check(), same(), throws(), finish(): assertions that need only PHP and the extension. */
require __DIR__ . '/assert.php';

$seed = (int) ( getenv( 'WORKOS_FUZZ_SEED' ) ?: random_int( 1, PHP_INT_MAX >> 1 ) );
mt_srand( $seed );
const HOSTILE_CALLS = 3000;

/**
 * A deeply nested array (deeper than the extension's limit).
 *
 * @param int $depth Nesting.
 */
function hostile_deep( int $depth ): array {
	$a = array( 'leaf' );
	for ( $i = 0; $i < $depth; $i++ ) {
		$a = array( 'k' => $a );
	}
	return $a;
}

/**
 * Random bytes of a random length, often not UTF-8.
 *
 * @param int $max Longest length.
 */
function hostile_bytes( int $max ): string {
	$n = mt_rand( 0, $max );
	$s = '';
	for ( $i = 0; $i < $n; $i++ ) {
		$s .= chr( mt_rand( 0, 255 ) );
	}
	return $s;
}

/** Values that look almost right to one parser or another. */
function hostile_strings(): array {
	static $strings = null;
	if ( null === $strings ) {
		$strings = array(
			'', ' ', "\0", "1.2.3.4\0", "\xff\xfe", "\xc3\x28", "\xed\xa0\x80", "a\0b", "\r\nX-Injected: 1",
			'..', '.', '%2e%2E', '%252e%252e', '../organizations', 'user_01H', 'org_01H', 'client_01H',
			'sk_test_0123456789', 'whsec_0123456789', '127.0.0.1', '::1', '[::1]:80', '10.0.0.0/8', '1.2.3.4, 5.6.7.8',
			'999.1.1.1', '10.0.0.0/33', 'http://127.0.0.1:9', 'https://example.com/', '//evil.example', '/\\evil.example',
			'javascript:alert(1)', 'https://u:p@example.com/', 'GET', 'POST', 'DELETE', 'TRACE',
			't=1, v1=00', 't=' . ( time() * 1000 ) . ', v1=' . str_repeat( 'ab', 32 ), 'v1=' . str_repeat( 'z', 64 ),
			'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'a.b.c', 'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ.e30.AAAA',
			'{"keys":[]}', '{"keys":[{"kty":"RSA","kid":"k","n":"AQAB","e":"AQAB"}]}', '{"id":"event_1","event":"user.created","data":{}}',
			'[]', '{}', 'null', '1e309', '-0', '0x10', 'NaN', str_repeat( 'A', 43 ), str_repeat( 'é', 300 ),
			str_repeat( 'x', 65536 ), str_repeat( "\0", 1024 ), str_repeat( '%2e', 2000 ), str_repeat( '[', 10000 ),
			str_repeat( 'a,', 20000 ), str_repeat( 'Z', 1 << 20 ),
		);
	}
	return $strings;
}

/**
 * A random value of any type, hostile more often than not.
 *
 * @param int $depth Nesting reached so far (arrays stop growing past a few levels).
 * @return mixed
 */
function hostile_value( int $depth = 0 ) {
	switch ( mt_rand( 0, 15 ) ) {
		case 0:
			return null;
		case 1:
			return (bool) mt_rand( 0, 1 );
		case 2:
			$ints = array( 0, 1, -1, 5, 60, 600, 3600, 86400, PHP_INT_MAX, PHP_INT_MIN, 2147483647, -2147483648, 4294967296, mt_rand() );
			return $ints[ array_rand( $ints ) ];
		case 3:
			$floats = array( 0.0, -0.0, 0.5, -1.5, 1e300, -1e300, NAN, INF, -INF, 121.0, PHP_FLOAT_EPSILON );
			return $floats[ array_rand( $floats ) ];
		case 4:
		case 5:
		case 6:
			$s = hostile_strings();
			return $s[ array_rand( $s ) ];
		case 7:
			return hostile_bytes( 200 );
		case 8:
			return hostile_deep( mt_rand( 1, 200 ) );
		case 9:
			$a = array();
			$n = mt_rand( 0, 6 );
			for ( $i = 0; $i < $n; $i++ ) {
				$key       = mt_rand( 0, 2 ) ? hostile_strings()[ array_rand( hostile_strings() ) ] : mt_rand( -5, 5 );
				$a[ $key ] = $depth < 3 ? hostile_value( $depth + 1 ) : 'v';
			}
			return $a;
		case 10:
			// Options-shaped arrays with hostile values under real keys.
			$keys = array( 'api_key', 'client_id', 'base_url', 'timeout', 'connect_timeout', 'max_retries', 'jwks_cache_dir',
				'jwks_cache_secret', 'issuer', 'audience', 'leeway', 'now', 'redirect_uri', 'state', 'provider', 'method', 'path',
				'query', 'body', 'grant_type', 'code', 'id', 'event', 'data', 'object', 'created_at', 'role', 'roles', 'organization_id' );
			$a    = array();
			foreach ( (array) array_rand( array_flip( $keys ), mt_rand( 1, 6 ) ) as $k ) {
				$a[ $k ] = $depth < 3 ? hostile_value( $depth + 1 ) : 'x';
			}
			return $a;
		case 11:
			return array( hostile_value( $depth + 1 ), hostile_value( $depth + 1 ) );
		case 12:
			$objects = array( new stdClass(), new ArrayObject( array( 1 ) ), function () {}, new DateTimeImmutable(), new Exception( "a\0b" ) );
			return $objects[ array_rand( $objects ) ];
		case 13:
			// An array that contains itself.
			$self         = array( 'a' => 1 );
			$self['self'] = &$self;
			return $self;
		case 14:
			return fopen( 'php://memory', 'r' );
		default:
			return mt_rand( 0, 1 ) ? array() : array( 'valid' => 'value' );
	}
}

/**
 * A short, printable description of a value for failure messages.
 *
 * @param mixed $v Value.
 */
function hostile_describe( $v ): string {
	if ( is_string( $v ) ) {
		return 'string(' . strlen( $v ) . ') ' . json_encode( substr( $v, 0, 40 ), JSON_INVALID_UTF8_SUBSTITUTE );
	}
	if ( is_array( $v ) ) {
		return 'array(' . count( $v ) . ')';
	}
	if ( is_object( $v ) ) {
		return get_class( $v );
	}
	return gettype( $v ) . ' ' . var_export( is_resource( $v ) ? 'resource' : $v, true );
}

// Everything the extension exports, found by reflection.
$ext       = new ReflectionExtension( 'workos' );
$callables = array();
foreach ( $ext->getFunctions() as $fn ) {
	$callables[] = array( 'name' => $fn->getName(), 'ref' => $fn, 'class' => null );
}
foreach ( $ext->getClasses() as $class ) {
	foreach ( $class->getMethods( ReflectionMethod::IS_PUBLIC ) as $m ) {
		if ( $m->getDeclaringClass()->getName() !== $class->getName() || $m->isAbstract() ) {
			continue; // Inherited from \Exception & co.: PHP's, not ours.
		}
		$callables[] = array( 'name' => $class->getName() . '::' . $m->getName(), 'ref' => $m, 'class' => $class );
	}
}
check( count( $callables ) >= 20, 'reflection found the exported API (' . count( $callables ) . ' callables)' );

/**
 * A usable instance of $class for instance methods (the client points at a closed port).
 *
 * @param ReflectionClass $class Class of the method.
 * @return object|null
 */
function hostile_instance( ReflectionClass $class ) {
	static $instances = array();
	$name = $class->getName();
	if ( ! isset( $instances[ $name ] ) ) {
		if ( 'WorkOS\Native\Client' === $name ) {
			$instances[ $name ] = new WorkOS\Native\Client(
				array(
					'api_key'         => 'sk_test_hostile',
					'client_id'       => 'client_hostile',
					'base_url'        => 'http://127.0.0.1:9',
					'timeout'         => 0.5,
					'connect_timeout' => 0.2,
					'max_retries'     => 0,
				)
			);
		} else {
			$instances[ $name ] = $class->newInstanceWithoutConstructor();
		}
	}
	return $instances[ $name ];
}

$outcomes = array(
	'returned'  => 0,
	'ours'      => 0,
	'php_types' => 0,
);
$started  = microtime( true );
for ( $i = 0; $i < HOSTILE_CALLS; $i++ ) {
	$c      = $callables[ $i % count( $callables ) ];
	$ref    = $c['ref'];
	$arity  = $ref->getNumberOfParameters();
	$count  = max( 0, $arity + ( 0 === mt_rand( 0, 9 ) ? mt_rand( -2, 1 ) : 0 ) );
	$args   = array();
	for ( $a = 0; $a < $count; $a++ ) {
		$args[] = hostile_value();
	}
	$what = $c['name'] . '(' . implode( ', ', array_map( 'hostile_describe', $args ) ) . ')';
	try {
		if ( null === $c['class'] ) {
			$ref->invokeArgs( $args );
		} elseif ( $ref->isConstructor() ) {
			$c['class']->newInstanceArgs( $args );
		} elseif ( $ref->isStatic() ) {
			$ref->invokeArgs( null, $args );
		} else {
			$ref->invokeArgs( hostile_instance( $c['class'] ), $args );
		}
		$outcomes['returned']++;
	} catch ( WorkOS\Native\Exception $e ) {
		$outcomes['ours']++;
		check( false === strpos( $e->getMessage(), 'internal error in the workos extension' ), "seed $seed: $what: caught panic: " . $e->getMessage() );
	} catch ( TypeError | ArgumentCountError $e ) {
		// PHP's own answer to a wrong PHP type; it must come from the
		// engine's argument parsing, not a failed throw of ours.
		$outcomes['php_types']++;
		check( false === stripos( $e->getMessage(), 'workos' ) || false === stripos( $e->getMessage(), 'cannot throw' ), "seed $seed: $what: " . get_class( $e ) . ': ' . $e->getMessage() );
	} catch ( Throwable $e ) {
		// Classes without a PHP constructor (static helpers, and exceptions
		// that only the extension throws) refuse `new` in ext-php-rs's words.
		$no_constructor = $ref instanceof ReflectionMethod && $ref->isConstructor() && Exception::class === get_class( $e )
			&& 'You cannot instantiate this class from PHP.' === $e->getMessage();
		check( $no_constructor, "seed $seed: $what: " . get_class( $e ) . ': ' . substr( $e->getMessage(), 0, 300 ) );
	}
}
check( microtime( true ) - $started < 60, "seed $seed: bounded: " . HOSTILE_CALLS . ' calls in under a minute' );
// The run really exercised the API rather than bouncing off type checks.
check( $outcomes['returned'] + $outcomes['ours'] > HOSTILE_CALLS / 10, "seed $seed: outcomes " . json_encode( $outcomes ) );

// Specific hostile values that once escaped as plain \Error.
$nul_cases = array(
	fn() => WorkOS\Native\ClientIp::resolve( "1.2.3.4\0" ),
	fn() => WorkOS\Native\ClientIp::normalizeProxies( array( "10.0.0.0/8\0" ) ),
	fn() => WorkOS\Native\Redirect::validate( '/', "http://x\0/", '/' ),
	fn() => WorkOS\Native\AccessToken::peekKid( "a\0.b.c" ),
);
foreach ( $nul_cases as $n => $fn ) {
	throws( WorkOS\Native\Exception::class, $fn, "NUL in a message, case $n" );
}
$e = thrown( fn() => WorkOS\Native\ClientIp::resolve( "1.2.3.4\0" ) );
check( $e instanceof WorkOS\Native\InvalidArgumentException && false !== strpos( $e->getMessage(), '1.2.3.4\\0' ), 'the NUL is spelt out in the message' );

finish();
