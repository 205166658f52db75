<?php
/**
 * The way out to AuthKit: the authorize URL of a new browser-bound flow.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn;

use WorkOS_WP\Api;
use WorkOS_WP\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * Builds the URL that starts an AuthKit sign-in (finished by Callback).
 */
final class AuthKit {

	/**
	 * The authorize URL with a signed, browser-bound state and PKCE, the
	 * configured provider / organization / connection, and hints.
	 *
	 * @param string $requested The redirect_to the visitor asked for ('' = none).
	 * @param string $hint      An email to prefill.
	 * @param string $screen    `sign-up` to open AuthKit's registration.
	 * @throws \WorkOS\Native\Exception When the configuration cannot make one.
	 */
	public static function authorization_url( string $requested, string $hint, string $screen = '' ): string {
		$flow     = bin2hex( random_bytes( 16 ) );
		$state    = Flow::issue(
			array(
				'f' => $flow,
				'r' => Redirects::requested( $requested ),
			)
		);
		$params   = array(
			'redirect_uri'   => Api::callback_url(),
			'state'          => $state,
			'code_challenge' => \WorkOS\Native\Pkce::challenge( Flow::verifier( $flow ) ),
		);
		$provider = Settings::get( 'provider' );
		foreach ( array( 'connection_id', 'organization_id' ) as $pin ) {
			if ( '' !== Settings::get( $pin ) ) {
				$params[ $pin ] = Settings::get( $pin );
			}
		}
		// A connection decides the identity provider by itself.
		if ( ! isset( $params['connection_id'] ) ) {
			$params['provider'] = $provider;
		}
		if ( '' !== $hint ) {
			$params['login_hint'] = $hint;
		}
		if ( '' !== $screen && 'authkit' === ( $params['provider'] ?? '' ) ) {
			$params['screen_hint'] = $screen;
		}
		return Api::client()->authorizationUrl( $params );
	}
}
