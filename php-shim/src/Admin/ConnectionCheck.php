<?php
/**
 * The one check of a site's WorkOS credentials.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Admin;

use WorkOS_WP\Settings;

use function WorkOS_WP\extension_ready;

defined( 'ABSPATH' ) || exit;

/**
 * Asks WorkOS whether the API key, the client ID and the client's signing
 * keys work: Site Health's connectivity test, the settings screen's Test
 * connection button and `workos status` all run this, so they never
 * disagree. Each check makes a real call through the extension's typed
 * client and is timed; nothing is cached and nothing is retried (a check
 * reports what happens now).
 *
 * A check's status is one of:
 * - `good`: WorkOS accepted it;
 * - `failed`: WorkOS definitely refused it (a 4xx, or nothing to send) — a
 *   setting is wrong and the message says which and what to do;
 * - `unreachable`: WorkOS could not be asked (network, timeout, 5xx, 429):
 *   the setting may be right, try again later or check the base URL;
 * - `skipped`: not asked, because an earlier check it depends on failed.
 *
 * No capability check here: the callers (a REST route, an admin-ajax
 * action, the CLI) check who may run it. Messages never contain a secret.
 */
final class ConnectionCheck {

	/** A check should answer while someone waits on a screen. */
	private const TIMEOUT = 5;

	/**
	 * Runs the checks.
	 *
	 * @param array|null $credentials Values to test instead of the configured ones (e.g. a
	 *                                settings form not yet saved): `api_key`, `client_id`,
	 *                                `api_base_url`, `environment`. A missing or null key means
	 *                                the configured value of that environment (default: the
	 *                                active one); a string, even '', is tested as given. A
	 *                                configured (not given) API key is only ever sent to its
	 *                                configured base URL: with another URL given, the API key
	 *                                check fails and asks for the key; a key that a constant sets
	 *                                ignores a given URL (as Settings does).
	 * @return array{ok: bool, ms: int, environment: string, base_url: string, checks: list<array{id: string, ok: bool, status: string, label: string, message: string, ms: int, setting: string}>}
	 *         `ok`: every check is good; `ms`: total time; each check's `setting` is the
	 *         Settings\Registry key that fixes it.
	 */
	public static function run( ?array $credentials = null ): array {
		$started     = microtime( true );
		$credentials = is_array( $credentials ) ? $credentials : array();
		$env         = isset( $credentials['environment'] ) && in_array( $credentials['environment'], Settings::ENVIRONMENTS, true )
			? (string) $credentials['environment']
			: Settings::environment();
		$typed_key   = isset( $credentials['api_key'] ) && is_scalar( $credentials['api_key'] );
		$api_key     = $typed_key ? trim( (string) $credentials['api_key'] ) : Settings::get( 'api_key', $env );
		$client_id   = isset( $credentials['client_id'] ) && is_scalar( $credentials['client_id'] ) ? trim( (string) $credentials['client_id'] ) : Settings::get( 'client_id', $env );
		$base_url    = isset( $credentials['api_base_url'] ) && is_scalar( $credentials['api_base_url'] ) ? trim( (string) $credentials['api_base_url'] ) : '';
		// A key kept in wp-config.php goes only where wp-config.php (or the default) says.
		if ( '' === $base_url || ( ! $typed_key && Settings::locked( 'api_base_url', $env ) ) ) {
			$base_url = Settings::get( 'api_base_url', $env );
		}
		$base_url = untrailingslashit( '' === $base_url ? Settings::DEFAULT_BASE_URL : $base_url );
		// A stored key is only ever sent where it is configured to go: testing
		// another URL takes the key typed as well (else whoever may run the
		// check could have the site send its key to a server of theirs).
		$saved_url = untrailingslashit( '' === Settings::get( 'api_base_url', $env ) ? Settings::DEFAULT_BASE_URL : Settings::get( 'api_base_url', $env ) );
		$withhold  = ! $typed_key && $base_url !== $saved_url;

		$checks = self::checks( $api_key, $client_id, $base_url, $withhold );
		$ok     = true;
		foreach ( $checks as $check ) {
			$ok = $ok && $check['ok'];
		}
		return array(
			'ok'          => $ok,
			'ms'          => self::ms_since( $started ),
			'environment' => $env,
			'base_url'    => $base_url,
			'checks'      => $checks,
		);
	}

	/**
	 * The three checks, in order: API key, client ID, signing keys.
	 *
	 * @param string $api_key   API key.
	 * @param string $client_id Client ID.
	 * @param string $base_url  API base URL.
	 * @param bool   $withhold  The stored key must not be sent to this URL.
	 */
	private static function checks( string $api_key, string $client_id, string $base_url, bool $withhold ): array {
		$labels = array(
			'api_key'   => __( 'API key', 'workos' ),
			'client_id' => __( 'Client ID', 'workos' ),
			'jwks'      => __( 'Signing keys (JWKS)', 'workos' ),
		);
		if ( ! extension_ready() ) {
			$why = __( 'The workos PHP extension is not loaded, so WorkOS cannot be asked. Load it in the PHP that serves this site and restart PHP.', 'workos' );
			return array(
				self::check( 'api_key', $labels['api_key'], 'failed', $why, 0, 'api_key' ),
				self::check( 'client_id', $labels['client_id'], 'skipped', $why, 0, 'client_id' ),
				self::check( 'jwks', $labels['jwks'], 'skipped', $why, 0, 'client_id' ),
			);
		}
		try {
			// A client of its own: the test values, short timeouts, no retries, no JWKS cache.
			$client = new \WorkOS\Native\Client(
				array(
					'api_key'         => '' === $api_key ? 'unset' : $api_key,
					'client_id'       => '' === $client_id ? 'unset' : $client_id,
					'base_url'        => $base_url,
					'timeout'         => self::TIMEOUT,
					'connect_timeout' => 3,
					'max_retries'     => 0,
				)
			);
		} catch ( \WorkOS\Native\Exception $e ) {
			/* translators: 1: the API base URL, 2: why it was refused. */
			$why = sprintf( __( 'The API base URL %1$s cannot be used (%2$s). Use https://api.workos.com unless WorkOS told you otherwise.', 'workos' ), $base_url, $e->getMessage() );
			return array(
				self::check( 'api_key', $labels['api_key'], 'failed', $why, 0, 'api_base_url' ),
				self::check( 'client_id', $labels['client_id'], 'skipped', $why, 0, 'api_base_url' ),
				self::check( 'jwks', $labels['jwks'], 'skipped', $why, 0, 'api_base_url' ),
			);
		}
		$key_check = $withhold
			? self::check( 'api_key', $labels['api_key'], 'failed', __( 'Not checked: to test a different API base URL, type the API key too. The stored key is only sent to the saved API base URL.', 'workos' ), 0, 'api_key' )
			: self::api_key_check( $client, $api_key, $base_url, $labels['api_key'] );
		// WorkOS not reached at all: a second call would only wait as long again.
		if ( 'unreachable' === $key_check['status'] && 'api_base_url' === $key_check['setting'] ) {
			$skip = __( 'Not checked: WorkOS could not be reached (see the API key check).', 'workos' );
			return array(
				$key_check,
				self::check( 'client_id', $labels['client_id'], 'skipped', $skip, 0, 'api_base_url' ),
				self::check( 'jwks', $labels['jwks'], 'skipped', $skip, 0, 'api_base_url' ),
			);
		}
		return array( $key_check ) + self::client_checks( $client, $client_id, $base_url, $labels );
	}

	/**
	 * The API key: an authenticated call (one organization), which WorkOS
	 * answers with 401 for a wrong key.
	 *
	 * @param \WorkOS\Native\Client $client   Client with the tested values.
	 * @param string                $api_key  API key.
	 * @param string                $base_url API base URL.
	 * @param string                $label    Check label.
	 */
	private static function api_key_check( \WorkOS\Native\Client $client, string $api_key, string $base_url, string $label ): array {
		if ( '' === $api_key ) {
			return self::check( 'api_key', $label, 'failed', __( 'No API key is set. Copy it from the WorkOS dashboard (API Keys, of the environment you use) into the API key field.', 'workos' ), 0, 'api_key' );
		}
		$started = microtime( true );
		try {
			$client->listOrganizations( array( 'limit' => 1 ) );
		} catch ( \WorkOS\Native\ApiException $e ) {
			$ms = self::ms_since( $started );
			if ( $e->isTransient() ) {
				return self::check( 'api_key', $label, 'unreachable', self::unreachable( $base_url, $e ), $ms, 'api_base_url' );
			}
			if ( 401 === $e->getStatus() ) {
				$message = __( 'WorkOS rejected the API key. Copy it again from the WorkOS dashboard (API Keys) — of the same environment as the client ID — and save it.', 'workos' );
			} elseif ( 403 === $e->getStatus() ) {
				$message = __( 'WorkOS accepted the API key but it may not list organizations. Use a key with full access (WorkOS dashboard → API Keys).', 'workos' );
			} else {
				/* translators: 1: HTTP status, 2: WorkOS's message. */
				$message = sprintf( __( 'WorkOS refused the call with the API key (HTTP %1$d: %2$s). Check the API key and the API base URL.', 'workos' ), $e->getStatus(), self::reason( $e ) );
			}
			return self::check( 'api_key', $label, 'failed', $message, $ms, 'api_key' );
		} catch ( \WorkOS\Native\Exception $e ) {
			return self::check( 'api_key', $label, 'failed', self::reason( $e ), self::ms_since( $started ), 'api_key' );
		}
		$ms = self::ms_since( $started );
		/* translators: %d: milliseconds. */
		return self::check( 'api_key', $label, 'good', sprintf( __( 'WorkOS accepted the API key (%d ms).', 'workos' ), $ms ), $ms, 'api_key' );
	}

	/**
	 * The client ID and its signing keys: WorkOS publishes a JWKS for a
	 * client ID it knows (and 404s one it does not); every sign-in and
	 * Bearer check verifies tokens with those keys, which must be RS256.
	 *
	 * @param \WorkOS\Native\Client $client    Client with the tested values.
	 * @param string                $client_id Client ID.
	 * @param string                $base_url  API base URL.
	 * @param array                 $labels    Check labels.
	 * @return array<int, array> Keyed 1 and 2 (after the API key's check).
	 */
	private static function client_checks( \WorkOS\Native\Client $client, string $client_id, string $base_url, array $labels ): array {
		$skip = __( 'Not checked: the client ID must work first.', 'workos' );
		if ( '' === $client_id ) {
			return array(
				1 => self::check( 'client_id', $labels['client_id'], 'failed', __( 'No client ID is set. Copy it from the WorkOS dashboard (API Keys, "Client ID", client_…) into the Client ID field.', 'workos' ), 0, 'client_id' ),
				2 => self::check( 'jwks', $labels['jwks'], 'skipped', $skip, 0, 'client_id' ),
			);
		}
		$started = microtime( true );
		try {
			$jwks = json_decode( $client->getJwks(), true );
		} catch ( \WorkOS\Native\ApiException $e ) {
			$ms = self::ms_since( $started );
			if ( $e->isTransient() ) {
				return array(
					1 => self::check( 'client_id', $labels['client_id'], 'unreachable', self::unreachable( $base_url, $e ), $ms, 'api_base_url' ),
					2 => self::check( 'jwks', $labels['jwks'], 'skipped', $skip, 0, 'client_id' ),
				);
			}
			$message = 404 === $e->getStatus() || 400 === $e->getStatus() || 422 === $e->getStatus()
				/* translators: %s: the client ID (not a secret). */
				? sprintf( __( 'WorkOS does not know the client ID %s. Copy it from the WorkOS dashboard (API Keys, "Client ID") of the same environment as the API key.', 'workos' ), $client_id )
				/* translators: 1: HTTP status, 2: WorkOS's message. */
				: sprintf( __( 'WorkOS refused the client ID (HTTP %1$d: %2$s). Check the client ID and the API base URL.', 'workos' ), $e->getStatus(), self::reason( $e ) );
			return array(
				1 => self::check( 'client_id', $labels['client_id'], 'failed', $message, $ms, 'client_id' ),
				2 => self::check( 'jwks', $labels['jwks'], 'skipped', $skip, 0, 'client_id' ),
			);
		} catch ( \WorkOS\Native\Exception $e ) {
			return array(
				1 => self::check( 'client_id', $labels['client_id'], 'failed', self::reason( $e ), self::ms_since( $started ), 'client_id' ),
				2 => self::check( 'jwks', $labels['jwks'], 'skipped', $skip, 0, 'client_id' ),
			);
		}
		$ms = self::ms_since( $started );
		/* translators: %d: milliseconds. */
		$client_ok = self::check( 'client_id', $labels['client_id'], 'good', sprintf( __( 'WorkOS knows this client ID (%d ms).', 'workos' ), $ms ), $ms, 'client_id' );

		$keys   = is_array( $jwks['keys'] ?? null ) ? $jwks['keys'] : array();
		$usable = array_filter(
			$keys,
			static fn( $key ): bool => is_array( $key ) && 'RSA' === ( $key['kty'] ?? '' ) && 'RS256' === ( $key['alg'] ?? 'RS256' ) && 'enc' !== ( $key['use'] ?? 'sig' )
		);
		if ( ! $keys ) {
			$jwks_check = self::check( 'jwks', $labels['jwks'], 'failed', __( 'WorkOS published no signing key for this client, so no sign-in can be verified. Check the client ID, or ask WorkOS support.', 'workos' ), $ms, 'client_id' );
		} elseif ( ! $usable ) {
			$jwks_check = self::check( 'jwks', $labels['jwks'], 'failed', __( 'WorkOS published signing keys, but none is an RS256 key, which sign-in tokens are verified with. Check the API base URL points at WorkOS.', 'workos' ), $ms, 'api_base_url' );
		} else {
			/* translators: %d: number of keys. */
			$jwks_check = self::check( 'jwks', $labels['jwks'], 'good', sprintf( _n( '%d RS256 signing key is published for this client.', '%d RS256 signing keys are published for this client.', count( $usable ), 'workos' ), count( $usable ) ), $ms, 'client_id' );
		}
		return array(
			1 => $client_ok,
			2 => $jwks_check,
		);
	}

	/**
	 * The message of a check WorkOS could not answer.
	 *
	 * @param string                      $base_url API base URL.
	 * @param \WorkOS\Native\ApiException $e        The failure.
	 */
	private static function unreachable( string $base_url, \WorkOS\Native\ApiException $e ): string {
		if ( 429 === $e->getStatus() ) {
			return __( 'WorkOS is rate-limiting this site right now; the setting was not checked. Try again in a minute.', 'workos' );
		}
		if ( $e->getStatus() >= 500 ) {
			/* translators: %d: HTTP status. */
			return sprintf( __( 'WorkOS had a problem answering (HTTP %d); the setting was not checked. Try again in a few minutes, or see status.workos.com.', 'workos' ), $e->getStatus() );
		}
		/* translators: 1: the API base URL, 2: the network error. */
		return sprintf( __( 'WorkOS could not be reached at %1$s (%2$s); the setting was not checked. Check the API base URL and that this server may make outbound HTTPS requests, then try again.', 'workos' ), $base_url, self::reason( $e ) );
	}

	/**
	 * An exception's message without the extension's prefixes.
	 *
	 * @param \Throwable $e The failure.
	 */
	private static function reason( \Throwable $e ): string {
		return (string) preg_replace( '/^(WorkOS API error \d+: |could not reach WorkOS: )/', '', $e->getMessage() );
	}

	/**
	 * One check's result.
	 *
	 * @param string $id      api_key, client_id or jwks.
	 * @param string $label   What was checked.
	 * @param string $status  good, failed, unreachable or skipped.
	 * @param string $message What happened and what to do next.
	 * @param int    $ms      Time the call took.
	 * @param string $setting The setting that fixes it.
	 */
	private static function check( string $id, string $label, string $status, string $message, int $ms, string $setting ): array {
		return array(
			'id'      => $id,
			'ok'      => 'good' === $status,
			'status'  => $status,
			'label'   => $label,
			'message' => $message,
			'ms'      => $ms,
			'setting' => $setting,
		);
	}

	/**
	 * Milliseconds since a microtime(true).
	 *
	 * @param float $started Start.
	 */
	private static function ms_since( float $started ): int {
		return (int) round( ( microtime( true ) - $started ) * 1000 );
	}
}
