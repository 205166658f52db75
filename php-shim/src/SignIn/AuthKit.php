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
	 * @param string                            $requested The redirect_to the visitor asked for ('' = none).
	 * @param string                            $hint      An email to prefill.
	 * @param string                            $screen    `sign-up` to open AuthKit's registration.
	 * @param \WorkOS_WP\Profiles\Profile|null $profile   A Login Profile in `authkit_redirect` mode:
	 *                                                      its slug rides in the state, so Callback
	 *                                                      applies its pinned organization and
	 *                                                      post_login_redirect, and its organization
	 *                                                      is the one AuthKit is asked for.
	 * @param bool                              $fresh     Ask AuthKit for a fresh sign-in (`max_age=0`)
	 *                                                      even if its own session is still open:
	 *                                                      WordPress's re-authentication (`reauth=1`).
	 * @throws \WorkOS\Native\Exception When the configuration cannot make one.
	 */
	public static function authorization_url( string $requested, string $hint, string $screen = '', $profile = null, bool $fresh = false ): string {
		$flow  = bin2hex( random_bytes( 16 ) );
		$claim = array(
			'f' => $flow,
			'r' => Redirects::requested( $requested ),
		);
		if ( $profile instanceof \WorkOS_WP\Profiles\Profile ) {
			$claim['p'] = $profile->get_slug();
		}
		$state    = Flow::issue( $claim );
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
		if ( $profile instanceof \WorkOS_WP\Profiles\Profile && '' !== $profile->get_organization_id() ) {
			$params['organization_id'] = $profile->get_organization_id();
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
		// Otherwise AuthKit's own session would sign the browser straight back in: a
		// re-authentication that asks nobody anything (WorkOS supports max_age with AuthKit only).
		if ( $fresh && 'authkit' === ( $params['provider'] ?? '' ) ) {
			$params['max_age'] = '0';
		}
		return Api::client()->authorizationUrl( $params );
	}

	/**
	 * The authorize URL of a social sign-in started from a hosted login
	 * (Login Profile): WorkOS's `provider` (GoogleOAuth, …) straight away,
	 * the same browser-bound state and PKCE, and the profile's slug in the
	 * state so that Callback applies its pinned organization and
	 * post_login_redirect.
	 *
	 * @param string $provider  WorkOS's provider name (GoogleOAuth, MicrosoftOAuth, GitHubOAuth, AppleOAuth).
	 * @param string $requested The redirect_to the visitor asked for ('' = none).
	 * @param string $profile   The Login Profile's slug.
	 * @param string $invitation An invitation token the sign-in accepts ('' = none): it rides in
	 *                           the signed state, and Callback gives it to WorkOS with the code.
	 * @throws \WorkOS\Native\Exception When the configuration cannot make one.
	 */
	public static function provider_url( string $provider, string $requested, string $profile, string $invitation = '' ): string {
		$flow  = bin2hex( random_bytes( 16 ) );
		$claim = array(
			'f' => $flow,
			'r' => Redirects::requested( $requested ),
			'p' => $profile,
		);
		if ( '' !== $invitation ) {
			$claim['i'] = $invitation;
		}
		$state = Flow::issue( $claim );
		return Api::client()->authorizationUrl(
			array(
				'redirect_uri'   => Api::callback_url(),
				'state'          => $state,
				'code_challenge' => \WorkOS\Native\Pkce::challenge( Flow::verifier( $flow ) ),
				'provider'       => $provider,
			)
		);
	}
}
