/*
 * @jsxRuntime classic
 * @jsx createElement
 *
 * The shell's extension points (REFERENCE-API §8.1): ten named slots that other plugins fill with
 *   registerPlugin( 'my-plugin', { scope: 'workos-authkit', render: () => (
 *     <Fill name="workos.authkit.belowCard">{ ( { step } ) => … }</Fill> ) } )
 * from a script they enqueue on `workos_authkit_enqueue_assets` (depending on wp-plugins and
 * wp-components). WordPress's SlotFill lives in wp-components (some 640 KB): it is NOT a dependency
 * of the shell, which uses `window.wp.components` / `window.wp.plugins` when such a script brought
 * them, and otherwise renders each slot as the same empty element (Shell.php prints it too, so
 * hydration finds what it renders). Every slot uses bubblesVirtually, wrapper class `wa-slot`.
 */
import {
	createContext,
	createElement,
	Fragment,
	useContext,
	useEffect,
	useState,
} from '@wordpress/element';

export const SLOT = Object.freeze( {
	beforeHeader: 'workos.authkit.beforeHeader',
	afterHeader: 'workos.authkit.afterHeader',
	beforeForm: 'workos.authkit.beforeForm',
	afterForm: 'workos.authkit.afterForm',
	afterPrimaryAction: 'workos.authkit.afterPrimaryAction',
	beforeFooter: 'workos.authkit.beforeFooter',
	afterFooter: 'workos.authkit.afterFooter',
	belowCard: 'workos.authkit.belowCard',
	beforeMethods: 'workos.authkit.methodPicker.beforeMethods',
	afterMethods: 'workos.authkit.methodPicker.afterMethods',
} );

/** The PluginArea scope plugins register their fills in (the reference's). */
export const SCOPE = 'workos-authkit';

/**
 * WordPress's SlotFill and PluginArea, when a plugin's script loaded them.
 *
 * @return {?Object} { SlotFillProvider, Slot, PluginArea } or null.
 */
function slotFill() {
	const wp = window.wp || {};
	const components = wp.components || {};
	const plugins = wp.plugins || {};
	if (
		! components.SlotFillProvider ||
		! components.Slot ||
		! plugins.PluginArea
	) {
		return null;
	}
	return {
		SlotFillProvider: components.SlotFillProvider,
		Slot: components.Slot,
		PluginArea: plugins.PluginArea,
	};
}

// What fills receive: { step, profileSlug, methods, flow? } (set by the frame, read by any slot).
const FillProps = createContext( {} );

/**
 * One named slot: an empty `div.wa-slot` that fills are portalled into.
 *
 * @param {Object} props
 * @param {string} props.name One of SLOT.
 */
export function Slot( { name } ) {
	const fillProps = useContext( FillProps );
	const api = slotFill();
	if ( ! api ) {
		return <div className="wa-slot" data-slot={ name } />;
	}
	return (
		<api.Slot
			name={ name }
			bubblesVirtually
			as="div"
			className="wa-slot"
			data-slot={ name }
			fillProps={ fillProps }
		/>
	);
}

/**
 * The provider around the frame, and the plugins' area (their fills are rendered there and
 * portalled into the slots). The area joins after the first render: that render must be the
 * server's markup, which has no such element.
 *
 * @param {Object} props
 * @param {Object} props.fillProps What fills receive.
 * @param {*}      props.children  The frame.
 */
export function SlotArea( { fillProps, children } ) {
	const [ mounted, setMounted ] = useState( false );
	useEffect( () => setMounted( true ), [] );
	const api = slotFill();
	const inner = (
		<FillProps.Provider value={ fillProps }>
			{ children }
		</FillProps.Provider>
	);
	if ( ! api ) {
		return inner;
	}
	return (
		<api.SlotFillProvider>
			<Fragment>
				{ inner }
				{ mounted ? <api.PluginArea scope={ SCOPE } /> : null }
			</Fragment>
		</api.SlotFillProvider>
	);
}
