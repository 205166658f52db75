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
 * In a multisite network the wizard is the network's: the credentials, the
 * webhook secret and everything else that touches the shared users are
 * network settings (Settings::is_network()), so a site's administrator
 * could finish none of its first steps. It lives in the Network Admin
 * (Settings → WorkOS setup, `manage_network_options`) with its state as a
 * network option; a site of the network shows no wizard, only — to those
 * who may manage the network, while the network is not connected — a
 * notice pointing there. The organization and the role map stay per-site
 * settings: the network's wizard saves them for the main site (where the
 * network administrator works, and whose sign-in they shape) and says that
 * every other site sets its own on its WorkOS screen, or gets an
 * organization's members through Network Admin → Settings → WorkOS sites.
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

	/** The app's REST routes (OnboardingRest), and the network wizard's beside them (main site only). */
	public const REST_PATH         = 'workos/v1/admin/onboarding';
	public const NETWORK_REST_PATH = self::REST_PATH . '/network';

	/** The steps, in order. */
	public const STEPS = array( 'credentials', 'organization', 'webhook', 'roles', 'sync' );

	/** The top-level WorkOS menu (Admin\ProfilesPage). */
	private const PARENT = 'workos-login-profiles';

	/** The app's build (scripts/js-build.sh), relative to the plugin folder. */
	private const BUILD_DIR = 'js/onboarding/build/';

	/** admin-post action of the notice's Dismiss link. */
	public const DISMISS_ACTION = 'workos_onboarding_dismiss';

	/** network_admin_edit_ action (and nonce action) of the network notice's Dismiss link. */
	public const NETWORK_DISMISS_ACTION = 'workos_network_onboarding_dismiss';

	/** The network's WorkOS screens are under Network Admin → Settings (SettingsPage, Network\OrgSitesPage). */
	private const NETWORK_PARENT = 'settings.php';

	/**
	 * Where the wizard stands.
	 *
	 * @param bool $network The network's wizard (a network option) rather than this site's.
	 * @return array{step: string, done: string[], dismissed: bool, finished: bool, webhook_since: int}
	 */
	public static function state( bool $network = false ): array {
		$stored = $network ? get_site_option( self::OPTION, array() ) : get_option( self::OPTION, array() );
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
	 * read it, so front-end page views never carry it. The network's is a
	 * network option (sitemeta), which no site autoloads.
	 *
	 * @param array $changes Keys of state() to change.
	 * @param bool  $network The network's wizard.
	 * @return array The new state.
	 */
	public static function update( array $changes, bool $network = false ): array {
		$state            = array_merge( self::state( $network ), $changes );
		$state['started'] = true;
		if ( $network ) {
			update_site_option( self::OPTION, $state );
		} else {
			update_option( self::OPTION, $state, false );
		}
		return self::state( $network );
	}

	/**
	 * Whether the wizard still offers itself (menu item, notice).
	 *
	 * @param bool $network The network's wizard.
	 */
	public static function pending( bool $network = false ): bool {
		$state = self::state( $network );
		return ! $state['dismissed'] && ! $state['finished'];
	}

	/**
	 * admin_menu (after the WorkOS menu exists): WorkOS → Setup until the
	 * wizard is finished or dismissed; afterwards the screen stays reachable
	 * by its address (the settings screen links it) but out of the menu.
	 */
	public static function add_menu(): void {
		// Only those who may run it get the page; everyone else's admin pages
		// skip reading the wizard's (not autoloaded) state. A site of a network
		// has no wizard: its first steps are the network's (add_network_menu()).
		if ( is_multisite() || ! current_user_can( 'manage_options' ) ) {
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
	 * network_admin_menu: Network Admin → Settings → WorkOS setup, beside the
	 * network's other WorkOS screens, until finished or dismissed; afterwards
	 * reachable by its address (out of the menu), as on a single site.
	 */
	public static function add_network_menu(): void {
		if ( ! current_user_can( 'manage_network_options' ) ) {
			return;
		}
		$hook = add_submenu_page(
			self::pending( true ) ? self::NETWORK_PARENT : '',
			/* translators: %s: the plugin's name. */
			sprintf( __( '%s — Setup', 'workos' ), PRODUCT_NAME ),
			__( 'WorkOS setup', 'workos' ),
			'manage_network_options',
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
	 *
	 * @param bool $network The network's wizard (in the Network Admin).
	 */
	public static function url( bool $network = false ): string {
		if ( $network ) {
			// Under Settings while in the menu (which then shows where the screen is), else a page of no menu.
			return network_admin_url( ( self::pending( true ) ? self::NETWORK_PARENT : 'admin.php' ) . '?page=' . self::SLUG );
		}
		return admin_url( 'admin.php?page=' . self::SLUG );
	}

	/**
	 * Whether this screen is the network's wizard (capability and state follow).
	 */
	private static function network_screen(): bool {
		return is_multisite() && is_network_admin();
	}

	/**
	 * Who may run the wizard (and change the settings it writes).
	 *
	 * @param bool $network The network's wizard.
	 */
	private static function capability( bool $network ): string {
		return $network ? 'manage_network_options' : 'manage_options';
	}

	/**
	 * admin_notices: until the wizard is finished or dismissed, a site that
	 * cannot sign anyone in yet — or whose owner started the wizard and left
	 * it — is offered it. Not on the wizard's own screen, nor to people who
	 * may not change the settings. On a site of a network the offer is the
	 * network's (point_to_network()).
	 */
	public static function notice(): void {
		if ( is_multisite() ) {
			self::point_to_network();
			return;
		}
		self::offer( false );
	}

	/**
	 * network_admin_notices: the same offer for the network's wizard.
	 */
	public static function network_notice(): void {
		self::offer( true );
	}

	/**
	 * The notice offering the wizard (see notice()).
	 *
	 * @param bool $network The network's wizard.
	 */
	private static function offer( bool $network ): void {
		if ( ! current_user_can( self::capability( $network ) ) || ! self::pending( $network ) || self::on_screen() ) {
			return;
		}
		$state = self::state( $network );
		if ( ! $state['started'] && Settings::is_configured() ) {
			return; // An already working site is not nagged; the menu still has Setup.
		}
		if ( $network ) {
			$text = $state['started']
				? __( 'the network\'s setup is not finished yet. Pick up where you left off.', 'workos' )
				: __( 'connect this network to WorkOS in a few steps: credentials, organization, webhooks, roles and users.', 'workos' );
		} else {
			$text = $state['started']
				? __( 'the setup is not finished yet. Pick up where you left off.', 'workos' )
				: __( 'connect this site to WorkOS in a few steps: credentials, organization, webhooks, roles and users.', 'workos' );
		}
		self::print_notice( $text, self::url( $network ), $state['started'] ? __( 'Continue setup', 'workos' ) : __( 'Start setup', 'workos' ), $network );
	}

	/**
	 * On a site of a network that is not connected yet: only someone who may
	 * manage the network is told where its setup is (a site's administrator
	 * could change none of it; Notices says sign-in is off). Nothing once the
	 * network's credentials work, or its wizard is finished or dismissed.
	 */
	private static function point_to_network(): void {
		if ( ! current_user_can( 'manage_network_options' ) || Settings::is_configured() || ! self::pending( true ) ) {
			return;
		}
		self::print_notice(
			__( 'this network is not connected to WorkOS yet. Its credentials and webhooks are set up in the Network Admin, for every site at once.', 'workos' ),
			self::url( true ),
			__( 'Set up the network', 'workos' ),
			true
		);
	}

	/**
	 * The notice itself: what to do, a button, and a Dismiss link (nonce).
	 *
	 * @param string $text    The message.
	 * @param string $url     The button's address.
	 * @param string $button  The button's label.
	 * @param bool   $network Whether Dismiss dismisses the network's wizard.
	 */
	private static function print_notice( string $text, string $url, string $button, bool $network ): void {
		$dismiss = $network
			? wp_nonce_url( network_admin_url( 'edit.php?action=' . self::NETWORK_DISMISS_ACTION ), self::NETWORK_DISMISS_ACTION )
			: wp_nonce_url( admin_url( 'admin-post.php?action=' . self::DISMISS_ACTION ), self::DISMISS_ACTION );
		printf(
			'<div class="notice notice-info workos-notice-onboarding"><p><strong>%1$s:</strong> %2$s</p><p><a class="button button-primary" href="%3$s">%4$s</a> <a class="button-link" href="%5$s">%6$s</a></p></div>',
			esc_html( PRODUCT_NAME ),
			esc_html( $text ),
			esc_url( $url ),
			esc_html( $button ),
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
	 * network_admin_edit_{NETWORK_DISMISS_ACTION}: the network notice's
	 * Dismiss link (nonce; only a network administrator).
	 */
	public static function dismiss_network(): void {
		if ( ! is_multisite() || ! current_user_can( 'manage_network_options' ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to change the WorkOS setup.', 'workos' ), '', array( 'response' => 403 ) );
		}
		check_admin_referer( self::NETWORK_DISMISS_ACTION );
		self::update( array( 'dismissed' => true ), true );
		wp_safe_redirect( wp_get_referer() ? wp_get_referer() : network_admin_url() );
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
		if ( current_user_can( self::capability( self::network_screen() ) ) ) {
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
		wp_add_inline_script( self::HANDLE, 'window.workosOnboarding = ' . wp_json_encode( self::config( self::network_screen() ) ) . ';', 'before' );
	}

	/**
	 * Everything the app shows, as the REST routes answer it too (so a step
	 * can refresh it): where the wizard stands and each step's facts.
	 * Secrets only masked.
	 *
	 * The network's wizard runs on the main site (its screen in the Network
	 * Admin, its routes on the main site's REST API), so the per-site facts
	 * here — organization, role map, roles — are the main site's.
	 *
	 * @param bool $network The network's wizard.
	 */
	public static function config( bool $network = false ): array {
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
			// A site's wizard cannot change the network's settings; the network's can.
			$locked[ $key ] = Settings::locked( $key, $env ) || ( ! $network && Settings::is_network( $key ) );
		}
		$main = $network ? get_main_site_id() : get_current_blog_id();
		$path = $network ? self::NETWORK_REST_PATH : self::REST_PATH;
		return array(
			'restUrl'        => esc_url_raw( rest_url( $path ) ),
			'restPath'       => '/' . $path,
			'nonce'          => wp_create_nonce( 'wp_rest' ),
			'network'        => $network,
			'mainSiteName'   => $network ? (string) get_blog_option( $main, 'blogname' ) : '',
			'state'          => self::state( $network ),
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
			'settingsUrl'    => $network ? network_admin_url( 'settings.php?page=' . SettingsPage::SLUG ) : admin_url( 'options-general.php?page=' . SettingsPage::SLUG ),
			// Where the main site's own WorkOS settings (organization, roles) are, and the organization → sites mapping.
			'siteSettingsUrl' => $network ? get_admin_url( $main, 'options-general.php?page=' . SettingsPage::SLUG ) : '',
			'orgSitesUrl'    => $network ? network_admin_url( 'settings.php?page=' . \WorkOS_WP\Network\OrgSitesPage::SLUG ) : '',
			'profilesUrl'    => get_admin_url( $main, 'admin.php?page=' . self::PARENT ),
			'dashboardUrl'   => $network ? network_admin_url() : admin_url(),
		);
	}

	/**
	 * The screen: a heading and the app's root (a message when the app is
	 * not built or JavaScript is off).
	 */
	public static function render(): void {
		$network = self::network_screen();
		if ( ! current_user_can( self::capability( $network ) ) ) {
			return;
		}
		echo '<div class="wrap workos-onboarding-wrap">';
		if ( $network ) {
			/* translators: %s: the plugin's name. */
			$heading = sprintf( __( 'Set up %s for the network', 'workos' ), PRODUCT_NAME );
		} else {
			/* translators: %s: the plugin's name. */
			$heading = sprintf( __( 'Set up %s', 'workos' ), PRODUCT_NAME );
		}
		echo '<h1>' . esc_html( $heading ) . '</h1>';
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
