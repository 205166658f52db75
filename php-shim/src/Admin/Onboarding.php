<?php
/**
 * WorkOS → Setup: the onboarding wizard's screen, its menu item and notice,
 * and where it stands (resumable).
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Admin;

use WorkOS_WP\Settings;
use WorkOS_WP\Settings\Registry;
use function WorkOS_WP\extension_ready;

use const WorkOS_WP\PLUGIN_FILE;
use const WorkOS_WP\PRODUCT_NAME;

defined( 'ABSPATH' ) || exit;

/**
 * The wizard walks a new site through five real steps — credentials tested
 * live, the organization picked from WorkOS, the webhook endpoint and a
 * test delivery, the role map, an optional user sync — and is a React app
 * (php-shim/js/onboarding/src) talking to OnboardingRest. Where the owner
 * is is kept in an option, so leaving and coming back (or a reload) lands
 * on the same step; the menu item and the notice stay until the wizard is
 * finished or dismissed. Settings are written only through the Registry's
 * validators (OnboardingRest::save()).
 *
 * This file is loaded on admin pages (menu, notice); the app's script only
 * on its own screen, the REST class only on its routes.
 */
final class Onboarding {

	public const SLUG = 'workos-setup';

	/** Where the wizard stands: step, finished steps, dismissed, when the webhook check began. */
	public const OPTION = 'workos_onboarding';

	/** Script and style handle of the app. */
	public const HANDLE = 'workos-onboarding';

	/** The steps, in order. */
	public const STEPS = array( 'credentials', 'organization', 'webhook', 'roles', 'sync' );

	/** The top-level WorkOS menu (Admin\ProfilesPage). */
	private const PARENT = 'workos-login-profiles';

	/** The app's build (scripts/js-build.sh), relative to the plugin folder. */
	private const BUILD_DIR = 'js/onboarding/build/';

	/** admin-post action of the notice's Dismiss link. */
	public const DISMISS_ACTION = 'workos_onboarding_dismiss';

	/**
	 * Where the wizard stands.
	 *
	 * @return array{step: string, done: string[], dismissed: bool, finished: bool, webhook_since: int}
	 */
	public static function state(): array {
		$stored = get_option( self::OPTION, array() );
		$stored = is_array( $stored ) ? $stored : array();
		$step   = isset( $stored['step'] ) && in_array( $stored['step'], self::STEPS, true ) ? (string) $stored['step'] : self::STEPS[0];
		$done   = isset( $stored['done'] ) && is_array( $stored['done'] ) ? array_values( array_intersect( self::STEPS, $stored['done'] ) ) : array();
		return array(
			'step'          => $step,
			'done'          => $done,
			'dismissed'     => ! empty( $stored['dismissed'] ),
			'finished'      => ! empty( $stored['finished'] ),
			'started'       => ! empty( $stored['started'] ),
			'webhook_since' => isset( $stored['webhook_since'] ) ? (int) $stored['webhook_since'] : 0,
		);
	}

	/**
	 * Changes where the wizard stands. Not autoloaded: only admin screens
	 * read it, so front-end page views never carry it.
	 *
	 * @param array $changes Keys of state() to change.
	 * @return array The new state.
	 */
	public static function update( array $changes ): array {
		$state            = array_merge( self::state(), $changes );
		$state['started'] = true;
		update_option( self::OPTION, $state, false );
		return self::state();
	}

	/**
	 * Whether the wizard still offers itself (menu item, notice).
	 */
	public static function pending(): bool {
		$state = self::state();
		return ! $state['dismissed'] && ! $state['finished'];
	}

	/**
	 * admin_menu (after the WorkOS menu exists): WorkOS → Setup until the
	 * wizard is finished or dismissed; afterwards the screen stays reachable
	 * by its address (the settings screen links it) but out of the menu.
	 */
	public static function add_menu(): void {
		// Only those who may run it get the page; everyone else's admin pages
		// skip reading the wizard's (not autoloaded) state.
		if ( ! current_user_can( 'manage_options' ) ) {
			return;
		}
		global $admin_page_hooks;
		$under_workos = is_array( $admin_page_hooks ) && isset( $admin_page_hooks[ self::PARENT ] );

		// Once finished or dismissed: a page of no menu, still reachable by its address.
		$parent = ! self::pending() ? '' : ( $under_workos ? self::PARENT : 'tools.php' );
		$hook   = add_submenu_page(
			$parent,
			/* translators: %s: the plugin's name. */
			sprintf( __( '%s — Setup', 'workos' ), PRODUCT_NAME ),
			__( 'Setup', 'workos' ),
			'manage_options',
			self::SLUG,
			array( self::class, 'render' )
		);
		if ( $hook ) {
			add_action( 'load-' . $hook, array( self::class, 'load' ) );
		}
	}

	/**
	 * Whether this admin request shows the wizard's screen.
	 */
	public static function on_screen(): bool {
		return isset( $_GET['page'] ) && self::SLUG === $_GET['page']; // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- which screen, nothing is done with it.
	}

	/**
	 * The wizard's address.
	 */
	public static function url(): string {
		return admin_url( 'admin.php?page=' . self::SLUG );
	}

	/**
	 * admin_notices: until the wizard is finished or dismissed, a site that
	 * cannot sign anyone in yet — or whose owner started the wizard and left
	 * it — is offered it. Not on the wizard's own screen, nor to people who
	 * may not change the settings, nor on a site of a network (its
	 * credentials are the network admin's).
	 */
	public static function notice(): void {
		if ( ! current_user_can( 'manage_options' ) || is_multisite() || ! self::pending() ) {
			return;
		}
		if ( self::on_screen() ) {
			return;
		}
		$state = self::state();
		if ( ! $state['started'] && Settings::is_configured() ) {
			return; // An already working site is not nagged; the menu still has Setup.
		}
		$dismiss = wp_nonce_url( admin_url( 'admin-post.php?action=' . self::DISMISS_ACTION ), self::DISMISS_ACTION );
		printf(
			'<div class="notice notice-info workos-notice-onboarding"><p><strong>%1$s:</strong> %2$s</p><p><a class="button button-primary" href="%3$s">%4$s</a> <a class="button-link" href="%5$s">%6$s</a></p></div>',
			esc_html( PRODUCT_NAME ),
			esc_html(
				$state['started']
					? __( 'the setup is not finished yet. Pick up where you left off.', 'workos' )
					: __( 'connect this site to WorkOS in a few steps: credentials, organization, webhooks, roles and users.', 'workos' )
			),
			esc_url( self::url() ),
			esc_html( $state['started'] ? __( 'Continue setup', 'workos' ) : __( 'Start setup', 'workos' ) ),
			esc_url( $dismiss ),
			esc_html__( 'Dismiss', 'workos' )
		);
	}

	/**
	 * admin_post_{DISMISS_ACTION}: the notice's Dismiss link (nonce, capability).
	 */
	public static function dismiss(): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to change the WorkOS setup.', 'workos' ), '', array( 'response' => 403 ) );
		}
		check_admin_referer( self::DISMISS_ACTION );
		self::update( array( 'dismissed' => true ) );
		wp_safe_redirect( wp_get_referer() ? wp_get_referer() : admin_url() );
		exit;
	}

	/**
	 * load-{screen}: the app's assets load on this screen only.
	 */
	public static function load(): void {
		global $title;
		if ( empty( $title ) ) {
			// Out of the menu WordPress finds no title for the page (and warns on PHP 8.1+).
			/* translators: %s: the plugin's name. */
			$title = sprintf( __( '%s — Setup', 'workos' ), PRODUCT_NAME ); // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited
		}
		if ( current_user_can( 'manage_options' ) ) {
			add_action( 'admin_enqueue_scripts', array( self::class, 'enqueue' ) );
		}
	}

	/**
	 * The build's asset manifest, or null when the app has not been built.
	 *
	 * @return array{dependencies: string[], version: string}|null
	 */
	private static function asset(): ?array {
		$file = dirname( PLUGIN_FILE ) . '/' . self::BUILD_DIR . 'index.asset.php';
		if ( ! is_file( $file ) ) {
			return null;
		}
		$asset = require $file;
		return is_array( $asset ) ? $asset : null;
	}

	/**
	 * admin_enqueue_scripts (this screen only): the app, its style and its
	 * configuration (`workosOnboarding`).
	 */
	public static function enqueue(): void {
		$asset = self::asset();
		if ( null === $asset ) {
			return;
		}
		$version = isset( $asset['version'] ) ? (string) $asset['version'] : false;
		$deps    = isset( $asset['dependencies'] ) && is_array( $asset['dependencies'] ) ? $asset['dependencies'] : array();
		$base    = plugins_url( self::BUILD_DIR, PLUGIN_FILE );
		wp_enqueue_style( self::HANDLE, $base . 'index.css', array( 'wp-components' ), $version );
		wp_enqueue_script( self::HANDLE, $base . 'index.js', $deps, $version, true );
		wp_set_script_translations( self::HANDLE, 'workos' );
		wp_add_inline_script( self::HANDLE, 'window.workosOnboarding = ' . wp_json_encode( self::config() ) . ';', 'before' );
	}

	/**
	 * Everything the app shows, as the REST routes answer it too (so a step
	 * can refresh it): where the wizard stands and each step's facts.
	 * Secrets only masked.
	 */
	public static function config(): array {
		$env   = Settings::environment();
		$roles = array();
		foreach ( wp_roles()->get_names() as $role => $name ) {
			$roles[] = array(
				'value' => (string) $role,
				'label' => translate_user_role( $name ),
			);
		}
		$map = array();
		foreach ( Settings::map( 'role_map' ) as $from => $to ) {
			$map[] = array(
				'from' => (string) $from,
				'to'   => (string) $to,
			);
		}
		$locked = array();
		foreach ( array( 'api_key', 'client_id', 'api_base_url', 'webhook_secret', 'organization_id', 'role_map', 'default_role' ) as $key ) {
			$locked[ $key ] = Settings::locked( $key, $env ) || ( is_multisite() && Settings::is_network( $key ) );
		}
		return array(
			'restUrl'        => esc_url_raw( rest_url( 'workos/v1/admin/onboarding' ) ),
			'nonce'          => wp_create_nonce( 'wp_rest' ),
			'state'          => self::state(),
			'steps'          => self::STEPS,
			'extensionReady' => extension_ready(),
			'environment'    => $env,
			'environmentName' => Registry::section_title( 'workos_env', $env ),
			'credentials'    => array(
				'apiKeyMasked' => Settings::mask( Settings::get( 'api_key', $env ) ),
				'clientId'     => Settings::get( 'client_id', $env ),
				'baseUrl'      => Settings::get( 'api_base_url', $env ),
				'defaultBase'  => Settings::DEFAULT_BASE_URL,
				'configured'   => Settings::is_configured(),
			),
			'organizationId' => Settings::get( 'organization_id', $env ),
			'webhook'        => array(
				'url'          => rest_url( 'workos/v1/webhook' ),
				'secretMasked' => Settings::mask( Settings::get( 'webhook_secret', $env ) ),
			),
			'roleMap'        => $map,
			'defaultRole'    => Settings::get( 'default_role' ),
			'roles'          => $roles,
			'locked'         => $locked,
			'settingsUrl'    => admin_url( 'options-general.php?page=' . SettingsPage::SLUG ),
			'profilesUrl'    => admin_url( 'admin.php?page=' . self::PARENT ),
			'dashboardUrl'   => admin_url(),
		);
	}

	/**
	 * The screen: a heading and the app's root (a message when the app is
	 * not built or JavaScript is off).
	 */
	public static function render(): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			return;
		}
		echo '<div class="wrap workos-onboarding-wrap">';
		/* translators: %s: the plugin's name. */
		echo '<h1>' . esc_html( sprintf( __( 'Set up %s', 'workos' ), PRODUCT_NAME ) ) . '</h1>';
		if ( ! extension_ready() ) {
			echo '<div class="notice notice-error inline"><p>' . esc_html__( 'The workos PHP extension is not loaded, so WorkOS cannot be asked. Load it first (see the notice above).', 'workos' ) . '</p></div>';
		}
		echo '<div id="workos-onboarding-root">';
		if ( null === self::asset() ) {
			echo '<div class="notice notice-warning inline"><p>' . esc_html__( 'The setup wizard has not been built (run make build).', 'workos' ) . '</p></div>';
		} else {
			echo '<noscript><div class="notice notice-warning inline"><p>' . esc_html__( 'The setup wizard needs JavaScript. Every setting is also on the settings screen.', 'workos' ) . '</p></div></noscript>';
			echo '<p class="workos-onboarding-loading">' . esc_html__( 'Loading…', 'workos' ) . '</p>';
		}
		echo '</div></div>';
	}
}
