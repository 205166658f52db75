<?php
/**
 * Test-only (loaded by the test instance only, never shipped): shows the hosted
 * login's shell for a fixed profile at `/?workos_shell_preview={preset}`, so
 * the browser suite (tests/browser/test_login_shell.py) and make bench
 * (tests/bench/login_shell.py) can load it before the real route
 * `/workos/login/{profile}` exists. Presets: default (password, magic code,
 * Google), password (password only), branded (colour, heading, subheading,
 * every social provider), and `stored` with `&profile={slug}`: a saved Login
 * Profile, whose sign-ins the API (/workos/v1/auth/*) really completes.
 * Other requests pay one isset() and one add_filter().
 */

// The hosted login API's response floor (SignIn\Hosted\AuthRest::FLOOR_MS) as
// the tests set it (option `workos_test_auth_floor_ms`), so that they stay
// fast yet can show the floor at work. Read only when the API asks.
add_filter(
	'workos_authkit_response_floor_ms',
	static function ( $ms ) {
		$test = get_option( 'workos_test_auth_floor_ms', '' );
		return '' === $test || false === $test ? $ms : (int) $test;
	}
);

// The reference's legacy-profile slug (filter workos_legacy_profile_slug) as a
// test sets it (option `workos_test_legacy_slug`); read only when asked.
add_filter(
	'workos_legacy_profile_slug',
	static function ( $slug ) {
		$test = get_option( 'workos_test_legacy_slug', '' );
		return is_string( $test ) && '' !== $test ? $test : $slug;
	}
);

if ( isset( $_GET['workos_shell_preview'] ) ) { // phpcs:ignore WordPress.Security.NonceVerification.Recommended
	add_action(
		'template_redirect',
		static function () {
			if ( ! class_exists( '\WorkOS_WP\SignIn\Hosted\Shell' ) ) {
				return; // The plugin is inactive.
			}
			$presets = array(
				'default'  => array(
					'slug'     => 'default',
					'title'    => 'Default Login',
					'methods'  => array( 'password', 'magic_code', 'oauth_google' ),
					'branding' => array( 'heading' => 'Sign in' ),
				),
				'password' => array(
					'slug'    => 'password',
					'methods' => array( 'password' ),
				),
				'branded'  => array(
					'slug'     => 'members',
					'title'    => 'Members',
					'methods'  => array( 'password', 'magic_code', 'oauth_google', 'oauth_microsoft', 'oauth_github', 'oauth_apple' ),
					'branding' => array(
						'heading'       => 'Welcome back, member',
						'subheading'    => 'Sign in to read the members-only posts.',
						'primary_color' => '#f0b849',
					),
				),
			);
			$name = sanitize_key( wp_unslash( $_GET['workos_shell_preview'] ) ); // phpcs:ignore WordPress.Security.NonceVerification.Recommended, WordPress.Security.ValidatedSanitizedInput
			if ( 'stored' === $name && isset( $_GET['profile'] ) ) { // phpcs:ignore WordPress.Security.NonceVerification.Recommended
				$stored = \WorkOS_WP\Profiles\ProfileRepository::find_by_slug( sanitize_title( wp_unslash( $_GET['profile'] ) ) ); // phpcs:ignore WordPress.Security.NonceVerification.Recommended, WordPress.Security.ValidatedSanitizedInput
				if ( $stored ) {
					$presets['stored'] = $stored->to_array();
				}
			}
			$redirect = isset( $_GET['redirect_to'] ) ? \WorkOS_WP\SignIn\Redirects::requested( wp_unslash( $_GET['redirect_to'] ) ) : admin_url(); // phpcs:ignore WordPress.Security.NonceVerification.Recommended, WordPress.Security.ValidatedSanitizedInput
			if ( ! isset( $presets[ $name ] ) ) {
				return;
			}
			nocache_headers();
			$embedded = ! empty( $_GET['embedded'] ); // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- a test page; `&embedded=1`: the card as the shortcode prints it.
			\WorkOS_WP\SignIn\Hosted\Shell::page(
				$presets[ $name ],
				array(
					'redirect_to' => $redirect,
					'embedded'    => $embedded,
				)
			);
			exit;
		}
	);
}
