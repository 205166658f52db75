<?php
/**
 * Test-only (loaded by the test instance only, never shipped): shows the hosted
 * login's shell for a fixed profile at `/?workos_shell_preview={preset}`, so
 * the browser suite (tests/browser/test_login_shell.py) and make bench
 * (tests/bench/login_shell.py) can load it before the real route
 * `/workos/login/{profile}` exists. Presets: default (password, magic code,
 * Google), password (password only), branded (colour, heading, subheading,
 * every social provider). Other requests pay one isset().
 */

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
			if ( ! isset( $presets[ $name ] ) ) {
				return;
			}
			nocache_headers();
			\WorkOS_WP\SignIn\Hosted\Shell::page( $presets[ $name ], array( 'redirect_to' => admin_url() ) );
			exit;
		}
	);
}
